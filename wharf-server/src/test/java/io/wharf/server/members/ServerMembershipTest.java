package io.wharf.server.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.ControlPlane;
import io.wharf.server.api.ApiServer;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.store.Store;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import io.wharf.testkit.auth.TestTokens;
import io.wharf.testkit.etcd.EtcdFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server membership on a real etcd: control planes sharing one etcd prefix, each on its own
 * connection as separate processes are, list each other with the leader marked; one that closes
 * leaves at once and the leader mark moves; one whose heartbeats stop drops out after its TTL.
 * On the embedded store the one server is the only member.
 */
class ServerMembershipTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();

  private static final Duration TTL = Duration.ofSeconds(2);

  @TempDir
  Path dir;

  private final String root = "/members-" + UUID.randomUUID();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private Store connect() {
    Store store = EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot(root));
    open.add(store);
    return store;
  }

  private ControlPlane server() {
    Store store = connect();
    ControlPlane server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "etcd")
        .withBootstrapToken(TestTokens.ADMIN), store, ServerFixture.tuning().withLeaderTtl(TTL));
    open.add(server);
    return server;
  }

  private static JsonNode servers(ControlPlane server) {
    ApiClient.Response r = new ApiClient(server.apiAddress()).get("/v1/servers");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static List<String> ids(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.path("servers").forEach(s -> ids.add(s.path("id").asText()));
    return ids;
  }

  private static List<String> leaders(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.path("servers").forEach(s -> {
      if (s.path("leader").asBoolean()) {
        ids.add(s.path("id").asText());
      }
    });
    return ids;
  }

  private static String id(ControlPlane server) {
    return server.apiAddress().getAuthority();
  }

  @Test
  void threeServersOnOneEtcdAreAllListedByEachWithTheLeaderMarked() {
    ControlPlane first = server();
    ControlPlane second = server();
    ControlPlane third = server();
    String leader = first.election().leader().orElseThrow().id();

    for (ControlPlane asked : List.of(first, second, third)) {
      JsonNode answer = servers(asked);
      assertThat(ids(answer)).as("listed, in id order").isEqualTo(List.of(id(first), id(second), id(third)).stream()
          .sorted().toList());
      assertThat(leaders(answer)).containsExactly(leader);
      assertThat(answer.path("leader").asText()).isEqualTo(leader);
      assertThat(answer.path("server").asText()).isEqualTo(id(asked));
      assertThat(answer.path("ttlSeconds").asLong()).isEqualTo(TTL.toSeconds());
    }
    JsonNode entry = member(servers(third), id(second));
    assertThat(entry.path("addresses").get(0).asText()).isEqualTo(second.apiAddress().toString());
    assertThat(entry.path("version").asText()).isEqualTo(ApiServer.VERSION);
    Instant started = Instant.parse(entry.path("startedAt").asText());
    Instant beat = Instant.parse(entry.path("lastHeartbeat").asText());
    assertThat(beat).isAfterOrEqualTo(started);
    // the heartbeat moves on (every TTL/3) while the start time stays
    await().atMost(TTL.multipliedBy(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      JsonNode now = member(servers(first), id(second));
      assertThat(Instant.parse(now.path("lastHeartbeat").asText())).isAfter(beat);
      assertThat(now.path("startedAt").asText()).isEqualTo(entry.path("startedAt").asText());
    });
  }

  private static JsonNode member(JsonNode answer, String id) {
    for (JsonNode s : answer.path("servers")) {
      if (s.path("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError(id + " not listed in " + answer);
  }

  @Test
  void theLeaderClosingLeavesTheListAtOnceAndTheLeaderMarkMovesToASurvivor() {
    ControlPlane first = server();
    ControlPlane second = server();
    ControlPlane third = server();
    assertThat(leaders(servers(second))).containsExactly(id(first));

    first.close();

    // its lease is revoked on close: gone at once, not after the TTL
    assertThat(ids(servers(second))).containsExactlyInAnyOrder(id(second), id(third));
    await().atMost(TTL.multipliedBy(3)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      JsonNode answer = servers(third);
      assertThat(leaders(answer)).hasSize(1).containsAnyOf(id(second), id(third));
      assertThat(answer.path("leader").asText()).isEqualTo(leaders(answer).getFirst());
    });
  }

  @Test
  void aServerWhoseHeartbeatsStopDropsOutAfterItsTtl() {
    ControlPlane watching = server();
    // A server "killed": its store connection goes away with it, so nothing renews its lease.
    Store doomed = EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot(root));
    ServerMembership killed = new ServerMembership(doomed, new ServerMember("127.0.0.9:7070",
        List.of("http://127.0.0.9:7070"), ApiServer.VERSION, Instant.now(), Instant.now()), TTL,
        InstantSource.system(), false);
    killed.start();
    assertThat(ids(servers(watching))).contains("127.0.0.9:7070");

    doomed.close();
    long cutAt = System.nanoTime();

    await().atMost(TTL.multipliedBy(4)).pollInterval(Duration.ofMillis(100)).until(() ->
        !ids(servers(watching)).contains("127.0.0.9:7070"));
    System.out.printf("a server without heartbeats dropped out %d ms after its last one (TTL %d ms)%n",
        Duration.ofNanos(System.nanoTime() - cutAt).toMillis(), TTL.toMillis());
    assertThat(ids(servers(watching))).containsExactly(id(watching));
    killed.close(); // the revoke fails quietly on the closed connection
  }

  @Test
  void onTheEmbeddedStoreTheOneServerIsTheOnlyMemberAndNothingIsWritten() {
    ServerFixture fx = ServerFixture.start(dir);
    open.add(fx);
    JsonNode answer = servers(fx.server);

    String self = fx.server.apiAddress().getAuthority();
    assertThat(ids(answer)).containsExactly(self);
    assertThat(leaders(answer)).containsExactly(self);
    assertThat(answer.path("servers").get(0).path("addresses").get(0).asText())
        .isEqualTo(fx.server.apiAddress().toString());
    assertThat(fx.store.range(ServerMembership.PREFIX).kvs()).isEmpty();
  }
}
