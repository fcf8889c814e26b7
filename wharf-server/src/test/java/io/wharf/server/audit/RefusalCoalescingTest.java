package io.wharf.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.ControlPlane;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of unauthenticated writes against a whole server costs a bounded number of audit
 * entries whose counts add up to every refused call, and the last window is written when the
 * server stops; a principal's 403s are still one entry each.
 */
class RefusalCoalescingTest {
  private static final String CONFIGS = "/v1/namespaces/default/configs";

  @TempDir Path dir;

  private static long stoodFor(JsonNode entry) {
    return entry.has("refused") ? entry.path("refused").path("count").asLong() : 1;
  }

  private static List<JsonNode> entries(ApiClient admin) {
    List<JsonNode> out = new ArrayList<>();
    String next = null;
    do {
      var page = admin.get("/v1/audit?limit=1000" + (next == null ? "" : "&continue=" + next));
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().path("items").forEach(out::add);
      next = page.json().path("continue").isNull() ? null : page.json().path("continue").asText();
    } while (next != null);
    return out;
  }

  private static List<JsonNode> matching(List<JsonNode> entries, Predicate<JsonNode> p) {
    return entries.stream().filter(p).toList();
  }

  @Test
  void aFloodOf401sIsAFewEntriesThatCountEveryCallAnd403sStayOneEach() {
    int garbage = 300;
    int bare = 40;
    int forbidden = 10;
    long started = System.nanoTime();
    try (Store store = TestStores.open(dir)) {
      ControlPlane first = ControlPlane.start(ServerFixture.settings(), store, ServerFixture.tuning());
      ApiClient admin = new ApiClient(first.apiAddress());
      assertThat(admin.post("/v1/auth/principals", "{\"id\":\"user:mallory\"}").status()).isEqualTo(201);
      String mallory = admin.post("/v1/auth/tokens", "{\"principal\":\"user:mallory\"}").json().path("token").asText();

      ApiClient bad = admin.withToken("wharf_" + "x".repeat(43));
      ApiClient none = admin.withToken(null);
      for (int i = 0; i < garbage; i++) {
        var r = bad.post(CONFIGS, "{}");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errorMessage()).isEqualTo("bad token");
      }
      for (int i = 0; i < bare; i++) {
        assertThat(none.post(CONFIGS, "{}").errorMessage()).isEqualTo("no credentials");
      }
      for (int i = 0; i < forbidden; i++) {
        assertThat(admin.withToken(mallory).post(CONFIGS, "{}").status()).isEqualTo(403);
      }
      long windows = 1 + (System.nanoTime() - started) / AuditRecorder.REFUSAL_WINDOW.toNanos();
      first.close(); // writes the windows still open

      try (ControlPlane second = ControlPlane.start(ServerFixture.settings(), store, ServerFixture.tuning())) {
        List<JsonNode> entries = entries(new ApiClient(second.apiAddress()));
        List<JsonNode> badToken = matching(entries, e -> e.path("result").path("message").asText().equals("bad token"));
        List<JsonNode> noCredentials = matching(entries,
            e -> e.path("result").path("message").asText().equals("no credentials"));
        List<JsonNode> refusedMallory = matching(entries, e -> e.path("principal").asText().equals("user:mallory"));

        // one written at once, then at most one per window (and the last one at close)
        assertThat(badToken).hasSizeBetween(2, (int) (1 + windows + 1));
        assertThat(badToken.stream().mapToLong(RefusalCoalescingTest::stoodFor).sum()).isEqualTo(garbage);
        assertThat(badToken).allSatisfy(e -> {
          assertThat(e.path("principal").asText()).isEqualTo("anonymous");
          assertThat(e.path("request").path("source").asText()).isEqualTo("127.0.0.1");
          assertThat(e.path("result").path("status").asInt()).isEqualTo(401);
        });
        assertThat(noCredentials).hasSizeBetween(2, (int) (1 + windows + 1));
        assertThat(noCredentials.stream().mapToLong(RefusalCoalescingTest::stoodFor).sum()).isEqualTo(bare);
        assertThat(refusedMallory).hasSize(forbidden).allSatisfy(e -> {
          assertThat(e.path("result").path("status").asInt()).isEqualTo(403);
          assertThat(e.has("refused")).isFalse();
        });
      }
    }
  }
}
