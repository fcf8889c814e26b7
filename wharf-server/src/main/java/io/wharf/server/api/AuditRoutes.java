package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.model.quantity.Durations;
import io.wharf.server.audit.AuditLog;
import io.wharf.server.audit.AuditReader;
import io.wharf.server.auth.Principal;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/audit}: pages of audit entries, oldest first, filtered by time, principal, kind,
 * namespace and verb; with {@code follow=true} a Server-Sent Events stream of the backlog and then
 * every new entry (each SSE id is the entry's sequence, so {@code Last-Event-ID} resumes after it).
 * Reading it is its own permission: kind {@value #KIND}, verb {@code list} (pages and follow).
 */
final class AuditRoutes {
  /** The kind the authorisation seam checks for reading the audit log (verb list). */
  static final String KIND = "AuditEntry";
  private static final Pattern KIND_NAME = Pattern.compile("[A-Z][A-Za-z]{0,62}");
  private static final Pattern VERB = Pattern.compile("[a-z][-a-z]{0,62}");

  private final AuditReader reader;
  private final ObjectMapper json;
  private final Duration keepAlive;
  private final InstantSource clock;

  AuditRoutes(AuditReader reader, ObjectMapper json, Duration keepAlive, InstantSource clock) {
    this.reader = reader;
    this.json = json;
    this.keepAlive = keepAlive;
    this.clock = clock;
  }

  void serve(Context ctx) throws InterruptedException {
    String follow = QueryParameters.single(ctx, "follow");
    if (follow != null && !follow.equals("true") && !follow.equals("false")) {
      throw ApiError.badParameter("follow", "must be true or false, got \"" + follow + "\"").failure();
    }
    AuditReader.Query query = query(ctx);
    if ("true".equals(follow)) {
      follow(ctx, query);
      return;
    }
    AuditReader.Page page = reader.page(query);
    ObjectNode body = json.createObjectNode();
    body.put("kind", "AuditEntryList");
    body.put("revision", page.revision());
    ArrayNode items = body.putArray("items");
    page.items().forEach(items::add);
    body.put("continue", page.continueAfter() == 0 ? (String) null
        : QueryParameters.continueToken(AuditLog.key(page.continueAfter())));
    ApiServer.send(ctx, json, body);
  }

  private AuditReader.Query query(Context ctx) {
    Instant since = since(QueryParameters.single(ctx, "since"));
    String principal = QueryParameters.single(ctx, "principal");
    if (principal != null && Principal.parse(principal).isEmpty()) {
      throw ApiError.badParameter("principal", "must be a principal id such as user:alice, service:default/web, "
          + "node:node-1 or anonymous, got \"" + principal + "\"").failure();
    }
    String kind = QueryParameters.single(ctx, "kind");
    if (kind != null && !KIND_NAME.matcher(kind).matches()) {
      throw ApiError.badParameter("kind", "must be a kind such as Service, got \"" + kind + "\"").failure();
    }
    String verb = QueryParameters.single(ctx, "verb");
    if (verb != null && !VERB.matcher(verb).matches()) {
      throw ApiError.badParameter("verb", "must be a verb such as create, got \"" + verb + "\"").failure();
    }
    String namespace = QueryParameters.namespace(ctx);
    int limit = QueryParameters.limit(ctx);
    long after = 0;
    String continueKey = QueryParameters.continueAfter(ctx, AuditLog.PREFIX);
    if (continueKey != null) {
      after = AuditLog.sequenceOf(continueKey);
      if (after < 0) {
        throw ApiError.badParameter("continue", "not a token this server issued for this listing").failure();
      }
    }
    String lastEventId = ctx.header("Last-Event-ID");
    if (lastEventId != null && !lastEventId.isBlank()) {
      after = Math.max(after, QueryParameters.revision("Last-Event-ID", lastEventId));
    }
    return new AuditReader.Query(since, after, principal, kind, namespace, verb, limit);
  }

  /** RFC 3339 time, or a duration back from now ({@code 90s}, {@code 1h}, {@code 7d}). */
  private Instant since(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    Optional<Duration> ago = Durations.parse(raw);
    if (ago.isPresent()) {
      return clock.instant().minus(ago.get());
    }
    try {
      return OffsetDateTime.parse(raw.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.badParameter("since", "must be an RFC 3339 time (2026-12-06T21:00:00Z) or a duration "
          + "back from now (90s, 1h, 7d), got \"" + raw + "\"").failure();
    }
  }

  private void follow(Context ctx, AuditReader.Query query) throws InterruptedException {
    HttpServletResponse res = ctx.res();
    try (AuditReader.Follow follow = reader.follow(query)) {
      res.setStatus(200);
      res.setContentType("text/event-stream;charset=utf-8");
      res.setHeader("Cache-Control", "no-cache");
      res.setHeader("X-Accel-Buffering", "no");
      OutputStream out = res.getOutputStream();
      write(out, ": following the audit log\n\n");
      while (true) {
        Object item = follow.poll(keepAlive);
        switch (item) {
          case null -> write(out, ": keep-alive\n\n");
          case ObjectNode entry -> write(out, render(entry));
          case AuditReader.Follow.End end -> {
            write(out, "event: closed\ndata: {\"reason\":\"" + (end == AuditReader.Follow.End.OVERFLOW
                ? "overflow" : "ended") + "\"}\n\n");
            return;
          }
          default -> throw new IllegalStateException("unexpected " + item);
        }
      }
    } catch (IOException clientLeft) {
      // the client went away; closing the follow stops its store watch
    }
  }

  /** In the watch stream's shape, so clients resume by {@code Last-Event-ID} (the sequence) alike. */
  private String render(ObjectNode entry) throws IOException {
    long sequence = entry.path("sequence").asLong();
    ObjectNode data = json.createObjectNode();
    data.put("type", "PUT");
    data.put("kind", KIND);
    data.put("revision", sequence);
    data.set("object", entry);
    return "id: " + sequence + "\nevent: PUT\ndata: " + json.writeValueAsString(data) + "\n\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
