package io.wharf.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.server.auth.RequestPrincipal;
import io.wharf.server.registry.ChangeWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's before and after handlers for auditing. Before: a mutating request gets its
 * {@link AuditScope}, bound to its thread, so whatever it commits carries its entry
 * ({@link AuditTrail}). After (Javalin runs after-handlers once the answer, error or not, is
 * decided and before it is sent): a request that committed nothing — refused (4xx/5xx), or a
 * change that turned out to change nothing — gets its entry appended through the same writer,
 * so the entry is durable before the client hears the answer.
 *
 * <p>Agent heartbeats and instance status reports are audited only when refused, unless
 * {@link AuditSettings#agentReports()} is on: each agent sends one every few seconds, and their
 * writes are combined across agents into shared transactions, so their entries are appended
 * after the write instead of inside it.
 *
 * <p>Unauthenticated refusals (the seam's 401s, {@link #unauthenticated}: no, malformed, unknown,
 * expired or revoked credentials) are coalesced per (source address, reason) by {@link RefusalWindows}: the first one is written
 * as above, further ones within {@link #REFUSAL_WINDOW} are counted and written as one entry with
 * {@code "refused": {"count", ...}} when the window closes (checked every second by one virtual
 * thread, {@code wharf-audit-refusals}) and at {@link #close}. A 401 flood so costs one store write
 * per address and reason per window instead of one per call. 403s name a principal and are written
 * one by one.
 *
 * <p>Requests Jetty refuses before Javalin sees them (a malformed request line or header, an
 * over-long URI) are not audited: no route, principal or body is known.
 */
public final class AuditRecorder implements AutoCloseable {
  /** How long unauthenticated refusals of one source address and reason are counted into one entry. */
  public static final Duration REFUSAL_WINDOW = Duration.ofSeconds(10);
  /** Set by the API's error renderer: {@code {code, message, problems: [paths]}} of a refusal. */
  public static final String ERROR = "wharf.audit.error";
  private static final String UNAUTHENTICATED = "wharf.audit.unauthenticated";
  private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);

  private final ChangeWriter writer;
  private final AuditTrail trail;
  private final AuditSettings settings;
  private final ObjectMapper json;

  private final InstantSource clock;
  private final RefusalWindows refusals;
  private final Thread windowCloser;
  private volatile boolean closed;

  public AuditRecorder(ChangeWriter writer, AuditTrail trail, AuditSettings settings, ObjectMapper json) {
    this(writer, trail, settings, json, InstantSource.system(), REFUSAL_WINDOW);
  }

  /** With the clock windows are measured on and their length (tests). */
  public AuditRecorder(ChangeWriter writer, AuditTrail trail, AuditSettings settings, ObjectMapper json,
      InstantSource clock, Duration refusalWindow) {
    this.writer = writer;
    this.trail = trail;
    this.settings = settings;
    this.json = json;
    this.clock = clock;
    this.refusals = new RefusalWindows(refusalWindow);
    Duration tick = refusalWindow.compareTo(Duration.ofSeconds(1)) < 0 ? refusalWindow : Duration.ofSeconds(1);
    this.windowCloser = Thread.ofVirtual().name("wharf-audit-refusals").start(() -> {
      while (!closed) {
        try {
          Thread.sleep(tick);
        } catch (InterruptedException e) {
          return;
        }
        closeWindows(false);
      }
    });
  }

  /**
   * Marks a call the authentication seam refused for want of valid credentials (no, malformed,
   * unknown, expired or revoked ones): its entry is coalesced with others of its source address
   * and reason. Routes that check credentials of their own (login, join) do not call this.
   */
  public static void unauthenticated(Context ctx) {
    ctx.attribute(UNAUTHENTICATED, Boolean.TRUE);
  }

  /** Records what the error renderer answered, for the audit entry of a refused call. */
  public static void refused(Context ctx, String code, String message, List<String> problemPaths) {
    ctx.attribute(ERROR, Map.of("code", code, "message", message, "problems", List.copyOf(problemPaths)));
  }

  public void before(Context ctx) {
    if (!AuditedRoutes.mutating(ctx.method().name(), null)) {
      return;
    }
    AuditScope scope = new AuditScope(ctx);
    ctx.attribute(AuditScope.ATTRIBUTE, scope);
    scope.bind();
  }

  public void after(Context ctx) {
    AuditScope scope = ctx.attribute(AuditScope.ATTRIBUTE);
    if (scope == null) {
      if (!AuditedRoutes.mutating(ctx.method().name(), null)) {
        return;
      }
      scope = new AuditScope(ctx); // an earlier before-handler refused the request before ours ran
    }
    try {
      record(ctx, scope);
    } finally {
      scope.unbind();
    }
  }

  private void record(Context ctx, AuditScope scope) {
    String template = scope.template();
    if (!AuditedRoutes.mutating(scope.method(), template)) {
      return;
    }
    int status = ctx.status().getCode();
    if (scope.recorded() > 0) {
      if (scope.recordedStatus() != status) {
        // AuditedRoutes disagrees with the handler: the entry is committed, fix the table
        log.warn("audit entry of {} {} says status {} but the call answered {}; see AuditedRoutes",
            scope.method(), template, scope.recordedStatus(), status);
      }
      return;
    }
    AuditedRoutes.Rule rule = scope.rule();
    if (rule.agentReport() && status < 400 && !settings.agentReports()) {
      return;
    }
    ObjectNode result = result(ctx, status);
    if (status == 401 && Boolean.TRUE.equals(ctx.attribute(UNAUTHENTICATED)) && RequestPrincipal.of(ctx).anonymous()) {
      Instant now = clock.instant();
      var key = new RefusalWindows.Key(scope.source(), result.path("message").asText("unauthenticated"));
      if (!refusals.admit(key, now, () -> trail.uncommittedEntry(scope, now, result))) {
        return; // counted: the window's entry will stand for it
      }
    }
    scope.appending(true);
    scope.bind();
    try {
      writer.write(now -> {
        scope.pendingEntry(trail.uncommittedEntry(scope, now, result));
        return new ChangeWriter.Commit<>(List.of(), List.of(), List.of(), revision -> revision);
      });
    } catch (RuntimeException e) {
      log.warn("could not record the audit entry of {} {} ({}): {}", scope.method(), scope.path(), status,
          e.toString());
    } finally {
      scope.appending(false);
    }
  }

  /**
   * Appends an entry for every window of coalesced refusals that is due (every window when
   * {@code all}); returns how many refusals they stand for.
   */
  long closeWindows(boolean all) {
    long refused = 0;
    for (RefusalWindows.Summary s : refusals.due(clock.instant(), all)) {
      ObjectNode entry = s.entry().deepCopy();
      ObjectNode counted = json.createObjectNode();
      counted.put("count", s.count());
      counted.put("first", s.first().toString());
      counted.put("last", s.last().toString());
      counted.put("windowSeconds", refusals.window().toSeconds());
      if (s.overflow()) {
        counted.put("overflow", true);
      }
      entry.set("refused", counted);
      AuditScope scope = AuditScope.detached(entry);
      scope.bind();
      try {
        writer.write(now -> {
          entry.put("time", now.toString());
          return new ChangeWriter.Commit<>(List.of(), List.of(), List.of(), revision -> revision);
        });
        refused += s.count();
      } catch (RuntimeException e) {
        log.warn("could not record {} refusals from {} ({}): {}", s.count(), entry.path("request").path("source").asText(),
            entry.path("result").path("message").asText(), e.toString());
      } finally {
        scope.appending(false);
        scope.unbind();
      }
    }
    return refused;
  }

  /** Stops closing windows on time and writes the entries of every open one (after HTTP has stopped). */
  @Override
  public void close() {
    closed = true;
    windowCloser.interrupt();
    try {
      windowCloser.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeWindows(true);
  }

  @SuppressWarnings("unchecked")
  private ObjectNode result(Context ctx, int status) {
    ObjectNode result = json.createObjectNode().put("status", status);
    Map<String, Object> error = ctx.attribute(ERROR);
    if (error != null) {
      String code = String.valueOf(error.get("code"));
      result.put("code", code);
      result.put("message", safeMessage(code, String.valueOf(error.get("message"))));
      List<String> paths = (List<String>) error.get("problems");
      if (paths != null && !paths.isEmpty()) {
        ArrayNode list = result.putArray("problems");
        paths.forEach(list::add);
      }
    }
    return result;
  }

  /**
   * A parser's complaint may quote the body it choked on, which may hold a secret: an entry keeps
   * only what the message says before the parser's detail. Validation problems are kept as paths
   * only (their reasons may quote a value).
   */
  static String safeMessage(String code, String message) {
    if (code.equals("malformed")) {
      for (String head : List.of("body is not valid JSON", "body is not valid YAML", "stack file is malformed",
          "could not read the request body")) {
        if (message.startsWith(head)) {
          return head;
        }
      }
    }
    return message;
  }
}
