package io.wharf.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated fleet at a small size against a real in-process control plane (controllers on). */
class SimulatedFleetTest {
  @TempDir Path dir;
  EmbeddedStore store;
  ControlPlane server;
  WharfClient client;

  @BeforeEach
  void start() {
    store = EmbeddedStore.open(dir);
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
    client = new WharfClient(ClientSettings.of(server.apiAddress()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    store.close();
  }

  private List<JsonNode> instances() {
    return client.listAll("instances", ListOptions.ALL);
  }

  @Test
  void fiftyNodesRunEveryInstanceOfAStackAndStopTheOnesScaledAway() {
    try (SimulatedFleet fleet = SimulatedFleet.start(client, FleetSettings.of(50).withHeartbeat(Duration.ofMillis(500)))) {
      assertThat(client.listAll("nodes", ListOptions.ALL)).hasSize(50)
          .allSatisfy(n -> assertThat(n.path("status").path("state").asText()).isEqualTo("ready"));

      client.apply(ClusterStack.yaml("small", 4, 15), WharfClient.YAML, OptionalLong.empty());

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(fleet.running())
          .as(() -> "running " + fleet.running() + ", assigned " + fleet.assigned() + ", stored " + instances().stream()
              .map(i -> i.path("spec").path("node").asText() + ":" + i.path("status").path("state").asText()).toList())
          .isEqualTo(60));
      assertThat(instances()).hasSize(60)
          .allSatisfy(i -> assertThat(i.path("status").path("state").asText()).isEqualTo("running"));
      assertThat(fleet.perNode().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
      assertThat(fleet.perNode().values()).as("a node holds 200 at most").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(200));

      client.apply(ClusterStack.yaml("small", 4, 5), WharfClient.YAML, OptionalLong.empty());

      await().atMost(Duration.ofSeconds(60)).until(() -> fleet.assigned() == 20 && fleet.running() == 20);
      assertThat(instances()).hasSize(20);
      assertThat(fleet.heartbeatCalls()).isPositive();
    }
  }

  @Test
  void withOneWatchPerNodeEveryNodeRunsWhatIsPlacedOnIt() {
    FleetSettings perNode = new FleetSettings("edge", 10, 100, 1L << 30, Duration.ofMillis(500), 2, 100, true);
    try (SimulatedFleet fleet = SimulatedFleet.start(client, perNode)) {
      client.apply(ClusterStack.yaml("tiny", 2, 25), WharfClient.YAML, OptionalLong.empty());

      await().atMost(Duration.ofSeconds(60)).until(() -> fleet.running() == 50);
      // 100m per node holds 10 instances of 10m: the 50 spread over at least 5 nodes.
      assertThat(fleet.perNode()).hasSizeGreaterThanOrEqualTo(5);
      assertThat(fleet.perNode().values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(10));
      assertThat(instances()).hasSize(50)
          .allSatisfy(i -> assertThat(i.path("status").path("state").asText()).isEqualTo("running"));
    }
  }

  @Test
  void aNodeTheServerForgotRegistersAgainOnTheNextBeat() {
    try (SimulatedFleet fleet = SimulatedFleet.start(client, FleetSettings.of(3).withHeartbeat(Duration.ofMillis(200)))) {
      client.delete("nodes", null, "sim-00002");

      await().atMost(Duration.ofSeconds(10)).until(() -> client.listAll("nodes", ListOptions.ALL).size() == 3);
      assertThat(client.get("nodes", null, "sim-00002").path("status").path("drivers").get(0).asText())
          .isEqualTo("sim");
    }
  }
}
