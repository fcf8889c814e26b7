package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The audit log of docs/api.md: {@code GET /v1/audit} pages (oldest first) and its follow stream.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class AuditApi {
  private final WharfClient client;

  public AuditApi(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Which entries: {@code since} an RFC 3339 time or a duration back from now ({@code 1h}); the
   * others exact matches; null means any.
   */
  public record Query(String since, String principal, String kind, String namespace, String verb) {
    Map<String, String> parameters() {
      Map<String, String> q = new LinkedHashMap<>();
      put(q, "since", since);
      put(q, "principal", principal);
      put(q, "kind", kind);
      put(q, "namespace", namespace);
      put(q, "verb", verb);
      return q;
    }

    private static void put(Map<String, String> q, String name, String value) {
      if (value != null && !value.isBlank()) {
        q.put(name, value);
      }
    }
  }

  /** One page; {@code continueToken} is null on the last. */
  public record Page(List<JsonNode> items, String continueToken) {}

  public Page page(Query query, int limit, String continueToken) {
    Map<String, String> q = query.parameters();
    if (limit > 0) {
      q.put("limit", Integer.toString(limit));
    }
    if (continueToken != null) {
      q.put("continue", continueToken);
    }
    JsonNode body = client.call(client.request("/v1/audit" + WharfClient.queryString(q)).GET());
    List<JsonNode> items = new ArrayList<>();
    body.path("items").forEach(items::add);
    JsonNode next = body.get("continue");
    return new Page(items, next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText());
  }

  /** Every matching entry, all pages. */
  public List<JsonNode> all(Query query) {
    List<JsonNode> out = new ArrayList<>();
    String token = null;
    do {
      Page page = page(query, 1000, token);
      out.addAll(page.items());
      token = page.continueToken();
    } while (token != null);
    return out;
  }

  /**
   * Follows the log: the entries {@code query} selects (none before now without {@code since}),
   * then each new one, as watch events whose object is the entry and whose revision is its
   * sequence; a dropped connection resumes after the last entry delivered.
   */
  public WatchStream follow(Query query, WatchListener listener) {
    return WatchStream.start((from, lastEventId) -> open(query, lastEventId), listener, client.json(), 0,
        client.settings().watchIdleTimeout());
  }

  private InputStream open(Query query, long lastEventId) throws IOException {
    Map<String, String> q = query.parameters();
    q.put("follow", "true");
    HttpRequest.Builder builder = HttpRequest.newBuilder(client.uri("/v1/audit" + WharfClient.queryString(q)))
        .header("Accept", "text/event-stream").GET();
    if (lastEventId > 0) {
      builder.header("Last-Event-ID", Long.toString(lastEventId));
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(builder, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to the audit log", e);
    }
    if (response.statusCode() != 200) {
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(64 * 1024);
      }
      throw client.error(response.statusCode(), body);
    }
    return response.body();
  }
}
