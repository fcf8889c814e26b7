package io.wharf.server.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.FakeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebalance through the control plane with nodes played by the test: the spread over a node
 * attribute's values, moves checked by the scheduler against the moves before them, and no
 * moves when the spread is already even.
 */
class RebalancingTest {
  @TempDir Path dir;
  FakeCluster c;

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  static String service(int replicas, String resources, String ports, String placement, int parallelism) {
    return """
        stack: shop
        namespace: default
        services:
          web:
            replicas: %d
            command: ["/bin/sleep", "1000"]
            resources: %s
            ports: %s
            update: {parallelism: %d}
            placement: %s
        """.formatted(replicas, resources, ports, parallelism, placement);
  }

  void joinIn(String node, String zone, int cores, int mebibytes) {
    c.join(FakeCluster.node(node, cores, mebibytes, Map.of("zone", zone)));
  }

  /** Runs what the agents would and returns the spread once no migration is in flight. */
  Map<String, Integer> settled() {
    c.runAll();
    return c.perNode();
  }

  @Test
  void spreadOverAZoneEndsEvenAcrossZonesThenAcrossNodesOfAZone() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    joinIn("n1", "a", 4, 4096);
    joinIn("n2", "a", 4, 4096);
    c.apply(service(4, "{cpu: 100m, memory: 64Mi}", "[]", "{spreadOver: node.labels.zone, rebalance: true}", 1));
    await().until(() -> settled().equals(Map.of("n1", 2, "n2", 2)));

    joinIn("n3", "b", 4, 4096);

    await().until(() -> settled().equals(Map.of("n1", 1, "n2", 1, "n3", 2)));
    assertThat(c.eventMessages("Service/web", "InstancesPlaced")).containsExactlyInAnyOrder(
        "placed 4 instances on 2 nodes", "placed 1 instance on 1 node", "placed 1 instance on 1 node");
    List<String> replacements = c.instances().stream()
        .filter(i -> i.path("metadata").path("labels").has(InstanceGroups.REPLACES))
        .map(i -> "removed 1 instance: replaced by " + i.path("metadata").path("name").asText()).toList();
    assertThat(replacements).hasSize(2);
    assertThat(c.eventMessages("Service/web", "InstancesRemoved")).containsExactlyInAnyOrderElementsOf(replacements);
  }

  @Test
  void parallelMovesNeverOvercommitTheJoiningNodesCpuAndMemory() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    joinIn("n1", "a", 4, 4096);
    c.apply(service(6, "{cpu: 500m, memory: 512Mi}", "[]", "{strategy: spread}", 3));
    await().until(() -> settled().equals(Map.of("n1", 6)));
    joinIn("n2", "a", 1, 1024); // room for two

    ApiClient.Response r = c.api.post("/v1/namespaces/default/services/web/rebalance", "");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);

    AtomicInteger most = new AtomicInteger();
    await().until(() -> {
      Map<String, Integer> now = settled();
      most.accumulateAndGet(now.getOrDefault("n2", 0), Math::max);
      return c.condition("web", "Rebalance").path("reason").asText().equals("Balanced");
    });
    assertThat(most.get()).isEqualTo(2);
    await().until(() -> settled().equals(Map.of("n1", 4, "n2", 2)));
    assertThat(c.condition("web", "Rebalance").path("message").asText())
        .isEqualTo("no node runs two more instances than another eligible node");
  }

  @Test
  void parallelMovesNeverPutTwoInstancesWithOneFixedHostPortOnTheJoiningNode() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    for (String n : List.of("n1", "n2", "n3", "n4")) {
      joinIn(n, "a", 4, 4096);
    }
    c.apply(service(4, "{cpu: 100m, memory: 64Mi}", "[{name: http, port: 18080}]",
        "{spreadOver: node.labels.zone}", 3));
    await().until(() -> settled().equals(Map.of("n1", 1, "n2", 1, "n3", 1, "n4", 1)));
    joinIn("n5", "b", 4, 4096);

    c.api.post("/v1/namespaces/default/services/web/rebalance", "");

    await().until(() -> {
      c.runAll();
      return c.condition("web", "Rebalance").path("reason").asText().equals("Balanced");
    });
    Map<String, Integer> spread = settled();
    assertThat(spread.get("n5")).isEqualTo(1);
    assertThat(spread.values()).containsOnly(1);
    assertThat(spread).hasSize(4);
    assertThat(c.condition("web", "Rebalance").path("message").asText()).isEqualTo("no node.labels.zone value runs "
        + "two more instances than another eligible one, nor a node two more than an eligible node of its value");
  }

  @Test
  void anEvenSpreadMovesNothing() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    joinIn("n1", "a", 4, 4096);
    joinIn("n2", "b", 4, 4096);
    joinIn("n3", "b", 4, 4096);
    c.apply(service(4, "{cpu: 100m, memory: 64Mi}", "[]", "{spreadOver: node.labels.zone}", 3));
    await().until(() -> settled().equals(Map.of("n1", 2, "n2", 1, "n3", 1)));
    Set<String> before = NodeLifecycleTest.names(c.instances());

    c.api.post("/v1/namespaces/default/services/web/rebalance", "");

    await().until(() -> c.condition("web", "Rebalance").path("reason").asText().equals("Balanced"));
    assertThat(NodeLifecycleTest.names(c.instances())).isEqualTo(before);
    assertThat(c.eventMessages("Service/web", "RebalanceRequested")).hasSize(1);
    assertThat(c.eventMessages("Service/web", "InstancesPlaced")).containsExactly("placed 4 instances on 3 nodes");
    assertThat(c.eventMessages("Service/web", "InstancesRemoved")).isEmpty();
  }
}
