package io.wharf.server.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.model.Node;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.cluster.NodeStatus;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.fixture.FakeCluster;
import io.wharf.server.nodes.NodeLiveness;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.LeaseId;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How fast the service controller places many instances (apply → every instance stored
 * in the store; no agents). A measurement, not a unit test: it runs only with
 * {@code -Dwharf.placementThroughput=true} and prints its figures; it asserts only that every
 * instance was placed. Nodes are written straight into the store (ready, with a live lease key).
 */
class PlacementThroughputTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} instances on {1} nodes")
  @CsvSource({"10000, 1000", "100000, 5000"})
  void placesManyInstances(int instances, int nodes) {
    Assumptions.assumeTrue(Boolean.getBoolean("wharf.placementThroughput"), "-Dwharf.placementThroughput=true");
    try (FakeCluster c = new FakeCluster(dir, Duration.ofMinutes(10))) {
      Store store = c.server.store;
      LeaseId lease = store.grantLease(Duration.ofMinutes(10));
      List<Txn.Op> ops = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        String name = "node-%05d".formatted(n);
        Node node = FakeCluster.node(name, 8, 32768, Map.of("zone", "z" + (n % 3)));
        NodeStatus s = node.status();
        node = node.withStatus(new NodeStatus("127.0.0.1", s.capacity(), s.allocatable(), s.drivers(), s.labels(),
            NodeState.READY, Instant.now(), null));
        ops.add(new Txn.Put(NodeLiveness.leaseKey(name), name.getBytes(StandardCharsets.UTF_8), lease));
        var tree = ResourceCodec.toTree(node);
        tree.withObjectProperty("metadata").put("createdAt", Instant.now().toString());
        ops.add(new Txn.Put(ResourceKeys.key(ResourceType.NODE, null, name),
            tree.toString().getBytes(StandardCharsets.UTF_8)));
        if (ops.size() >= 2000) {
          assertThat(store.txn(Txn.of(List.of(), ops)).succeeded()).isTrue();
          ops.clear();
        }
      }
      if (!ops.isEmpty()) {
        store.txn(Txn.of(List.of(), ops));
      }
      String prefix = ResourceKeys.prefix(ResourceType.INSTANCE, "default");
      long start = System.nanoTime();
      // A service holds at most 10,000 replicas: 100,000 instances are ten services.
      StringBuilder yaml = new StringBuilder("stack: bench\nnamespace: default\nservices:\n");
      int services = (instances + 9_999) / 10_000;
      for (int k = 0; k < services; k++) {
        yaml.append("""
              web%d:
                replicas: %d
                command: ["/bin/sleep", "1000"]
                resources: {cpu: 10m, memory: 32Mi}
                ports: [{name: http, port: 0}]
                placement: {strategy: spread}
            """.formatted(k, instances / services));
      }
      c.apply(yaml.toString());
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
          .until(() -> store.range(prefix).kvs().size() == instances);
      long placedMs = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("placement throughput: %d instances on %d nodes placed (stored) in %d ms = %.0f/s%n",
          instances, nodes, placedMs, instances * 1000.0 / Math.max(1, placedMs));
      assertThat(store.range(prefix).kvs()).hasSize(instances);
    }
  }
}
