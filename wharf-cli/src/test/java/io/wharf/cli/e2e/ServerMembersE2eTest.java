package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.testkit.auth.TestTokens;
import io.wharf.testkit.etcd.EtcdFixture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf server members} over three real {@code wharf server} processes on one real etcd:
 * every server listed by the CLI with the leader marked; a server stopped with SIGTERM leaves the
 * list at once; the leader killed with SIGKILL drops out after its TTL and the leader mark moves
 * to the server that took over.
 */
class ServerMembersE2eTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();

  private static final int LEADER_TTL_SECONDS = 2;

  @TempDir
  Path dir;

  private final List<DevServerProcess> servers = new ArrayList<>();

  @AfterEach
  void stopServers() throws Exception {
    for (DevServerProcess s : servers) {
      s.close();
    }
  }

  private void startServers(int count) throws InterruptedException {
    List<DevServerProcess> started = new CopyOnWriteArrayList<>();
    List<Thread> starting = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      starting.add(Thread.ofVirtual().start(() -> started.add(DevServerProcess.command("server",
          "--store", "etcd", "--etcd-endpoints", etcd.endpoint(), "--etcd-prefix", "/wharf-members", "--port", "0",
          "--insecure-http", "--secrets-key-file", SecretsKeyFile.shared(),
          "--leader-ttl", Integer.toString(LEADER_TTL_SECONDS)))));
    }
    for (Thread t : starting) {
      t.join();
    }
    servers.addAll(started);
    assertThat(servers).as("servers started").hasSize(count);
    servers.sort(Comparator.comparing(DevServerProcess::address));
  }

  private static String id(DevServerProcess server) {
    return URI.create(server.address()).getAuthority();
  }

  private static JsonNode members(DevServerProcess asked) {
    try (WharfClient client = new WharfClient(ClientSettings.of(asked.address()).withToken(TestTokens.ADMIN))) {
      return client.members();
    }
  }

  private static List<String> ids(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.path("servers").forEach(s -> ids.add(s.path("id").asText()));
    return ids;
  }

  private static List<String> marked(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.path("servers").forEach(s -> {
      if (s.path("leader").asBoolean()) {
        ids.add(s.path("id").asText());
      }
    });
    return ids;
  }

  @Test
  void everyServerIsListedALeaverGoesAtOnceAndAKilledLeaderDropsOutAfterItsTtlWhileTheMarkMoves()
      throws Exception {
    startServers(3);
    String leader = members(servers.getFirst()).path("leader").asText();
    assertThat(servers.stream().map(ServerMembersE2eTest::id)).contains(leader);

    CliProcess.Result table = new CliProcess(servers.get(1).address(), dir).run("server", "members");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines).as(table.toString()).hasSize(4);
    assertThat(lines.getFirst()).matches("NAME +ADDRESS +LEADER +VERSION +STARTED +LAST HEARTBEAT");
    List<String> ids = servers.stream().map(ServerMembersE2eTest::id).sorted().toList();
    for (int i = 0; i < 3; i++) {
      String id = ids.get(i);
      assertThat(lines.get(i + 1)).as(table.toString()).matches(java.util.regex.Pattern.quote(id)
          + " +http://" + java.util.regex.Pattern.quote(id) + " +" + (id.equals(leader) ? "yes" : "no")
          + " +0\\.1\\.0-SNAPSHOT +\\S+ ago +\\d+s ago");
    }

    // A follower shut down cleanly revokes its lease: gone at once.
    DevServerProcess follower = servers.stream().filter(s -> !id(s).equals(leader)).findFirst().orElseThrow();
    assertThat(follower.stop()).isIn(0, 143);
    DevServerProcess leaderProcess = servers.stream().filter(s -> id(s).equals(leader)).findFirst().orElseThrow();
    DevServerProcess survivor = servers.stream().filter(s -> s != follower && s != leaderProcess).findFirst()
        .orElseThrow();
    assertThat(ids(members(survivor))).containsExactlyInAnyOrder(leader, id(survivor));
    assertThat(marked(members(survivor))).containsExactly(leader);

    // The leader killed: no goodbye, so it stays listed until its lease lapses; then the survivor leads.
    leaderProcess.kill();
    long killedAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(LEADER_TTL_SECONDS + 8)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          JsonNode answer = members(survivor);
          assertThat(ids(answer)).containsExactly(id(survivor));
          assertThat(marked(answer)).containsExactly(id(survivor));
        });
    System.out.printf("killed leader %s dropped out and %s leads after %d ms (TTL %d s)%n", leader, id(survivor),
        Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), LEADER_TTL_SECONDS);

    CliProcess.Result json = new CliProcess(survivor.address(), dir).run("server", "members", "-o", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode parsed = new ObjectMapper().readTree(json.out());
    assertThat(ids(parsed)).containsExactly(id(survivor));
    assertThat(parsed.path("leader").asText()).isEqualTo(id(survivor));
    assertThat(parsed.path("servers").get(0).path("addresses").get(0).asText()).isEqualTo(survivor.address());
  }
}
