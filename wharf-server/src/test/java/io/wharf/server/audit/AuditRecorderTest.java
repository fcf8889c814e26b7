package io.wharf.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.RequestPrincipal;
import io.wharf.server.events.EventLog;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ManualClock;
import io.wharf.server.fixture.TestStores;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder against the authentication seam's contract (auth-contracts: a before-handler sets
 * {@link RequestPrincipal}, or refuses with 401/403): on a real Javalin app with a seam of the
 * contract's shape, entries carry the principal it set, and a call the seam refuses before the
 * recorder's own before-handler ran is audited all the same.
 */
class AuditRecorderTest {
  private static final ObjectMapper JSON = ResourceCodec.json();

  @TempDir Path dir;
  private Store store;
  private Javalin app;
  private ApiClient api;
  private final ManualClock clock = new ManualClock();
  private AuditRecorder recorder;

  @BeforeEach
  void start() {
    store = TestStores.open(dir);
    AuditTrail trail = new AuditTrail(store, JSON);
    ChangeWriter writer = new ChangeWriter(store, new EventLog(store, JSON), InstantSource.system()).withAudit(trail);
    recorder = new AuditRecorder(writer, trail, AuditSettings.DEFAULTS, JSON, clock, AuditRecorder.REFUSAL_WINDOW);
    app = Javalin.create(config -> {
      // the seam first, as ApiServer will have it: a token names the principal, no token is refused
      config.routes.before(ctx -> {
        String token = ctx.header("Authorization");
        if (token == null) {
          ctx.attribute("refused", true);
          AuditRecorder.unauthenticated(ctx);
          throw new IllegalStateException("no token");
        }
        RequestPrincipal.set(ctx, Principal.parse(token.substring("Bearer ".length())).orElseThrow());
      });
      config.routes.before(recorder::before);
      config.routes.after(recorder::after);
      config.routes.put("/v1/namespaces/{ns}/configs/{name}", ctx -> {
        String key = "/wharf/r/configs/" + ctx.pathParam("ns") + "/" + ctx.pathParam("name");
        long revision = writer.write(now -> new ChangeWriter.Commit<>(List.of(), List.of(new Txn.Put(key,
            ("{\"kind\":\"Config\",\"metadata\":{\"name\":\"" + ctx.pathParam("name") + "\",\"namespace\":\""
                + ctx.pathParam("ns") + "\"},\"spec\":{\"data\":\"" + ctx.body() + "\"}}")
                .getBytes(StandardCharsets.UTF_8))), List.of(), r -> r));
        ctx.status(201).result(Long.toString(revision));
      });
      config.routes.exception(IllegalStateException.class, (e, ctx) -> {
        AuditRecorder.refused(ctx, "unauthorized", e.getMessage(), List.of());
        ctx.status(401);
      });
    }).start("127.0.0.1", 0);
    api = new ApiClient(java.net.URI.create("http://127.0.0.1:" + app.port()), null);
  }

  @AfterEach
  void stop() {
    app.stop();
    recorder.close();
    store.close();
  }

  private List<JsonNode> entries() {
    List<JsonNode> out = new ArrayList<>();
    for (KeyValue kv : store.range(AuditLog.PREFIX).kvs()) {
      out.add(AuditLog.decode(JSON, kv));
    }
    return out;
  }

  private ApiClient.Response put(String token, String path, String body) {
    var request = java.net.http.HttpRequest.newBuilder(api.uri(path))
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return api.send(request);
  }

  @Test
  void theEntryNamesThePrincipalTheSeamSet() {
    var r = put("user:alice", "/v1/namespaces/default/configs/web", "v1");

    assertThat(r.status()).isEqualTo(201);
    List<JsonNode> entries = entries();
    assertThat(entries).hasSize(1);
    JsonNode e = entries.get(0);
    assertThat(e.path("principal").asText()).isEqualTo("user:alice");
    assertThat(e.path("verb").asText()).isEqualTo("update");
    assertThat(e.path("committed").asBoolean()).isTrue();
    assertThat(e.path("revision").asLong()).isEqualTo(Long.parseLong(r.text()));
    assertThat(e.path("result").path("status").asInt()).isEqualTo(201);
    assertThat(e.path("changes").get(0).path("after").path("spec").path("data").asText()).isEqualTo("v1");
  }

  @Test
  void aCallTheSeamRefusesBeforeTheRecorderRanIsAuditedAsAnonymous() {
    var r = put(null, "/v1/namespaces/default/configs/web", "v1");

    assertThat(r.status()).isEqualTo(401);
    List<JsonNode> entries = entries();
    assertThat(entries).hasSize(1);
    JsonNode e = entries.get(0);
    assertThat(e.path("principal").asText()).isEqualTo("anonymous");
    assertThat(e.path("committed").asBoolean()).isFalse();
    assertThat(e.path("revision").isNull()).isTrue();
    assertThat(e.path("result").toString())
        .isEqualTo("{\"status\":401,\"code\":\"unauthorized\",\"message\":\"no token\"}");
    assertThat(store.get("/wharf/r/configs/default/web")).isEmpty();
  }

  @Test
  void principalsOfTheThreeKindsAreKeptApart() {
    put("user:alice", "/v1/namespaces/default/configs/a", "1");
    put("service:default/web", "/v1/namespaces/default/configs/b", "2");
    put("node:node-1", "/v1/namespaces/default/configs/c", "3");

    assertThat(entries().stream().map(e -> e.path("principal").asText()))
        .containsExactly("user:alice", "service:default/web", "node:node-1");
    AuditReader reader = new AuditReader(store, JSON);
    var page = reader.page(new AuditReader.Query(null, 0, "service:default/web", null, null, null, 10));
    assertThat(page.items()).hasSize(1);
    assertThat(page.items().get(0).path("object").path("name").asText()).isEqualTo("b");
  }

  private static long stoodFor(JsonNode entry) {
    return entry.has("refused") ? entry.path("refused").path("count").asLong() : 1;
  }

  @Test
  void aBurstOfUnauthenticatedRefusalsIsOneEntryAtOnceAndOneCountingEntryPerWindow() {
    put(null, "/v1/namespaces/default/configs/web", "v1");
    assertThat(entries()).hasSize(1); // the first is written before its answer, as every refusal was

    for (int i = 0; i < 99; i++) {
      assertThat(put(null, "/v1/namespaces/default/configs/web-" + i, "v1").status()).isEqualTo(401);
    }
    assertThat(entries()).hasSize(1);
    clock.advance(AuditRecorder.REFUSAL_WINDOW.minusSeconds(1));
    assertThat(recorder.closeWindows(false)).isZero(); // still open

    clock.advance(Duration.ofSeconds(1));
    assertThat(recorder.closeWindows(false)).isEqualTo(99);
    List<JsonNode> entries = entries();
    assertThat(entries).hasSize(2);
    JsonNode summary = entries.get(1);
    assertThat(summary.path("principal").asText()).isEqualTo("anonymous");
    assertThat(summary.path("request").path("path").asText()).isEqualTo("/v1/namespaces/default/configs/web-0");
    assertThat(summary.path("request").path("source").asText()).isEqualTo("127.0.0.1");
    assertThat(summary.path("result").toString())
        .isEqualTo("{\"status\":401,\"code\":\"unauthorized\",\"message\":\"no token\"}");
    assertThat(summary.path("refused").path("count").asLong()).isEqualTo(99);
    assertThat(summary.path("refused").path("windowSeconds").asLong()).isEqualTo(10);
    assertThat(entries.stream().mapToLong(AuditRecorderTest::stoodFor).sum()).isEqualTo(100);

    // the flood goes on: the next window counts it, the window after that counts nothing and ends
    for (int i = 0; i < 50; i++) {
      put(null, "/v1/namespaces/default/configs/web", "v1");
    }
    assertThat(entries()).hasSize(2);
    clock.advance(AuditRecorder.REFUSAL_WINDOW);
    assertThat(recorder.closeWindows(false)).isEqualTo(50);
    clock.advance(AuditRecorder.REFUSAL_WINDOW);
    assertThat(recorder.closeWindows(false)).isZero();
    put(null, "/v1/namespaces/default/configs/web", "v1"); // quiet since: written at once again
    entries = entries();
    assertThat(entries).hasSize(4);
    assertThat(entries.stream().mapToLong(AuditRecorderTest::stoodFor).sum()).isEqualTo(151);
  }

  @Test
  void theLastWindowIsWrittenAtClose() {
    for (int i = 0; i < 20; i++) {
      put(null, "/v1/namespaces/default/configs/web", "v1");
    }
    assertThat(entries()).hasSize(1);

    app.stop();
    recorder.close();

    List<JsonNode> entries = entries();
    assertThat(entries).hasSize(2);
    assertThat(entries.get(1).path("refused").path("count").asLong()).isEqualTo(19);
  }
}
