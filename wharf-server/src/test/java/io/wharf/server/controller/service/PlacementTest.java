package io.wharf.server.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.FakeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Placement rules end to end: batch placement, global services, conflicts, volumes, reasons. */
class PlacementTest {
  @TempDir Path dir;
  FakeCluster c;

  @BeforeEach
  void start() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
  }

  @AfterEach
  void stop() {
    c.close();
  }

  @Test
  void fiftyReplicasArePlacedInOneBatchAndOneTransaction() {
    for (int n = 1; n <= 5; n++) {
      c.join("n" + n);
    }
    long start = System.nanoTime();
    c.apply("""
        stack: shop
        namespace: default
        services:
          web:
            replicas: 50
            command: ["/bin/sleep", "1000"]
            resources: {cpu: 10m, memory: 16Mi}
            ports: [{name: http, port: 0}]
            placement: {strategy: spread}
        """);
    await().until(() -> c.instances().size() == 50);
    System.out.printf("50 replicas from apply to placed: %d ms%n", (System.nanoTime() - start) / 1_000_000);

    assertThat(c.perNode()).isEqualTo(Map.of("n1", 10, "n2", 10, "n3", 10, "n4", 10, "n5", 10));
    assertThat(c.eventMessages("Service/web", "InstancesPlaced")).containsExactly("placed 50 instances on 5 nodes");
    Map<String, Set<Integer>> ports = new HashMap<>();
    for (JsonNode i : c.instances()) {
      assertThat(ports.computeIfAbsent(i.path("spec").path("node").asText(), n -> new HashSet<>())
          .add(i.path("spec").path("assignedPorts").path("http").asInt())).as("ports are unique per node").isTrue();
    }
  }

  @Test
  void aGlobalServiceRunsOncePerEligibleNodeAndFollowsNodes() {
    c.join("n1");
    c.join("n2");
    c.apply("""
        stack: shop
        namespace: default
        services:
          agent:
            command: ["/bin/sleep", "1000"]
            placement: {global: true}
        """);
    await().until(() -> c.perNode().equals(Map.of("n1", 1, "n2", 1)));

    c.join("n3");
    await().until(() -> c.perNode().equals(Map.of("n1", 1, "n2", 1, "n3", 1)));

    c.api.post("/v1/nodes/n2/drain", "{\"drain\": true}");
    await().until(() -> c.perNode().equals(Map.of("n1", 1, "n3", 1)));

    assertThat(c.api.delete("/v1/nodes/n3").status()).isEqualTo(200);
    await().until(() -> c.perNode().equals(Map.of("n1", 1)));
    await().until(() -> c.service("agent").path("status").path("desired").asInt() == 1);
  }

  @Test
  void conflictingServicesAndDistinctNodesNeverShareANode() {
    c.join("n1");
    c.join("n2");
    c.join("n3");
    c.apply("""
        stack: shop
        namespace: default
        services:
          db:
            replicas: 2
            command: ["/bin/sleep", "1000"]
            placement: {distinctNodes: true}
          cache:
            replicas: 2
            command: ["/bin/sleep", "1000"]
            placement: {conflicts: [db], distinctNodes: true}
        """);
    await().until(() -> c.condition("cache", "Scheduled").path("reason").asText().equals("PlacementFailed"));
    assertThat(c.instances()).hasSize(3);

    Map<String, Set<String>> servicesByNode = new HashMap<>();
    for (JsonNode i : c.instances()) {
      servicesByNode.computeIfAbsent(i.path("spec").path("node").asText(), n -> new HashSet<>())
          .add(i.path("spec").path("owner").path("name").asText());
    }
    assertThat(servicesByNode.values()).allSatisfy(s -> assertThat(s).hasSize(1));
    assertThat(c.condition("cache", "Scheduled").path("message").asText()).isEqualTo(
        "2 nodes: runs conflicting default/db; 1 node: already runs an instance of default/cache (distinct nodes)");
  }

  @Test
  void anInstanceWithANamedVolumeStaysOnTheNodeThatHoldsItEvenAfterItWasDeleted() {
    c.join("n1");
    String yaml = """
        stack: shop
        namespace: default
        volumes: [data]
        services:
          db:
            replicas: %d
            command: ["/bin/sleep", "1000"]
            volumes: ["data:/var/lib/db"]
            placement: {strategy: spread}
        """;
    c.apply(yaml.formatted(1));
    await().until(() -> c.perNode().equals(Map.of("n1", 1)));
    await().until(() -> c.condition("db", "VolumeHomes").path("message").asText().equals("data=n1"));

    c.apply(yaml.formatted(0));
    await().until(() -> c.instances().isEmpty());
    c.join("n2");
    c.apply(yaml.formatted(2));

    await().until(() -> c.perNode().equals(Map.of("n1", 2)));
  }

  @Test
  void anInstanceThatCannotBePlacedSaysWhyGroupedByReason() {
    for (String n : List.of("a1", "a2", "a3")) {
      c.join(FakeCluster.node(n, 4, 256, Map.of("zone", "eu")));
    }
    for (String n : List.of("b1", "b2")) {
      c.join(FakeCluster.node(n, 4, 4096, Map.of("zone", "us")));
    }
    c.apply("""
        stack: shop
        namespace: default
        services:
          web:
            replicas: 1
            command: ["/bin/sleep", "1000"]
            resources: {memory: 512Mi}
            placement:
              constraints: ["node.labels.zone == eu"]
        """);

    String expected = "3 nodes: not enough memory (need 512Mi, largest free 256Mi); "
        + "2 nodes: constraint node.labels.zone == eu not met";
    await().until(() -> c.condition("web", "Scheduled").path("message").asText().equals(expected));
    assertThat(c.condition("web", "Scheduled").path("reason").asText()).isEqualTo("PlacementFailed");
    assertThat(c.eventMessages("Service/web", "PlacementFailed")).containsExactly(expected);
  }

  @Test
  void planShowsWhereNewInstancesWouldGoAndWhyTheRestCannot() {
    c.join(FakeCluster.node("n1", 4, 1024, Map.of("zone", "eu")));
    c.join(FakeCluster.node("n2", 4, 1024, Map.of("zone", "us")));

    var r = c.api.send("/v1/plan", "POST", "application/yaml", """
        stack: shop
        namespace: default
        services:
          web:
            replicas: 3
            command: ["/bin/sleep", "1000"]
            resources: {memory: 512Mi}
            placement:
              constraints: ["node.labels.zone == eu"]
          api:
            replicas: 1
            command: ["/bin/sleep", "1000"]
            resources: {memory: 512Mi}
        """);

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode web = r.json().path("placements").get(0);
    assertThat(web.path("name").asText()).isEqualTo("web");
    assertThat(web.path("instances").asInt()).isEqualTo(3);
    assertThat(web.path("placed").asInt()).isEqualTo(2);
    assertThat(web.path("nodes").toString()).isEqualTo("{\"n1\":2}");
    assertThat(web.path("reasons").asText()).isEqualTo(
        "1 node: constraint node.labels.zone == eu not met; 1 node: not enough memory (need 512Mi, largest free 0)");
    JsonNode api = r.json().path("placements").get(1);
    assertThat(api.path("nodes").toString()).isEqualTo("{\"n2\":1}");
    assertThat(api.has("reasons")).isFalse();
    assertThat(c.instances()).as("a plan changes nothing").isEmpty();
  }

  @Test
  void aPlacementOntoANodeThatChangedMeanwhileIsNotWrittenAndIsDecidedAgain() throws Exception {
    c.close();
    var store = new io.wharf.server.fixture.InterferingStore(io.wharf.server.fixture.TestStores.open(dir.resolve("s")));
    c = new FakeCluster(store, Duration.ofSeconds(15));
    c.join("n1");
    c.join("n2");
    String n1 = io.wharf.server.registry.ResourceKeys.key(io.wharf.server.registry.ResourceType.NODE, null, "n1");
    // Another writer drains n1 between the controller's decision (bin-pack: all on n1) and its commit.
    store.beforeTxn(txn -> txn.onSuccess().stream().anyMatch(op -> op instanceof io.wharf.store.Txn.Put p
        && p.key().startsWith("/wharf/r/instances/")), () -> {
          var node = (com.fasterxml.jackson.databind.node.ObjectNode) FakeCluster.parse(
              store.underlying().get(n1).orElseThrow().value());
          node.withObjectProperty("spec").put("drain", true);
          store.underlying().txn(io.wharf.store.Txn.of(List.of(), List.of(new io.wharf.store.Txn.Put(n1,
              node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        });

    c.apply("""
        stack: shop
        namespace: default
        services:
          web:
            replicas: 3
            command: ["/bin/sleep", "1000"]
        """);

    await().until(() -> c.perNode().equals(Map.of("n2", 3)));
    assertThat(c.eventMessages("Service/web", "InstancesPlaced")).containsExactly("placed 3 instances on 1 node");
  }
}
