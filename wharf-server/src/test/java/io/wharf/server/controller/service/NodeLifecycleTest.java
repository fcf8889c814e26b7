package io.wharf.server.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.FakeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node lifecycle through the control plane with nodes played by the test (registration,
 * heartbeats, status reports as agents send them): a node going down, drain, eligibility,
 * rebalance.
 */
class NodeLifecycleTest {
  @TempDir Path dir;
  FakeCluster c;

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  static String service(String name, int replicas, String placement, int parallelism) {
    return """
        stack: shop
        namespace: default
        services:
          %s:
            replicas: %d
            command: ["/bin/sleep", "1000"]
            resources: {cpu: 100m, memory: 64Mi}
            update: {parallelism: %d}
            placement: %s
        """.formatted(name, replicas, parallelism, placement);
  }

  static Set<String> names(List<JsonNode> instances) {
    return instances.stream().map(i -> i.path("metadata").path("name").asText()).collect(Collectors.toSet());
  }

  @Test
  void instancesOfANodeThatGoesDownAreReplacedElsewhereAndTheLostOnesRemoved() {
    c = new FakeCluster(dir, Duration.ofSeconds(1));
    c.join("n1");
    c.apply(service("web", 3, "{strategy: binpack}", 1));
    await().until(() -> c.perNode().equals(Map.of("n1", 3)));
    Set<String> first = names(c.instances());
    c.join("n2");

    c.silence("n1");

    await().atMost(Duration.ofSeconds(15)).until(() -> c.perNode().equals(Map.of("n2", 3)));
    assertThat(names(c.instances())).doesNotContainAnyElementsOf(first);
    assertThat(c.api.get("/v1/nodes/n1").json().path("status").path("state").asText()).isEqualTo("down");
    assertThat(c.eventMessages("Service/web", "InstancesPlaced")).contains("placed 3 instances on 1 node");
    assertThat(c.eventMessages("Service/web", "InstancesRemoved")).contains("removed 3 instances: lost with its node");
  }

  @Test
  void drainMovesInstancesParallelismAtATimeStartingReplacementsBeforeStoppingTheOldOnes() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.apply(service("web", 3, "{strategy: binpack}", 2));
    await().until(() -> c.instances().size() == 3);
    c.runAll();
    c.join("n2");

    ApiClient.Response drained = c.api.post("/v1/nodes/n1/drain", "{\"drain\": true}");
    assertThat(drained.status()).as(drained.toString()).isEqualTo(200);
    assertThat(drained.json().path("spec").path("drain").asBoolean()).isTrue();

    // Two replacements (the parallelism) start on n2 while the three old ones still run.
    await().until(() -> c.perNode().equals(Map.of("n1", 3, "n2", 2)));
    for (JsonNode i : c.instances()) {
      if (i.path("spec").path("node").asText().equals("n2")) {
        assertThat(i.path("metadata").path("labels").path("wharf.io/replaces").asText()).startsWith("web-");
      }
    }
    c.runAll();
    // Ready replacements stop their old instances; then the last one moves.
    await().until(() -> c.perNode().equals(Map.of("n1", 1, "n2", 3)));
    c.runAll();
    await().until(() -> c.perNode().equals(Map.of("n2", 3)));
    assertThat(c.eventMessages("Node/n1", "NodeDraining"))
        .containsExactly("drain requested: instances move to other nodes");

    ApiClient.Response undone = c.api.post("/v1/nodes/n1/drain", "{\"drain\": false}");
    assertThat(undone.json().path("spec").path("drain").asBoolean()).isFalse();
    assertThat(c.eventMessages("Node/n1", "NodeDrainUndone")).hasSize(1);
  }

  @Test
  void anAgentRegisteringAgainKeepsTheDrainAnOperatorSet() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.api.post("/v1/nodes/n1/drain", "{\"drain\": true}");

    c.join("n1");

    assertThat(c.api.get("/v1/nodes/n1").json().path("spec").path("drain").asBoolean()).isTrue();
  }

  @Test
  void anIneligibleNodeTakesNoNewInstancesButKeepsItsOwn() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.apply(service("web", 2, "{strategy: binpack}", 1));
    await().until(() -> c.perNode().equals(Map.of("n1", 2)));
    c.join("n2");

    ApiClient.Response r = c.api.post("/v1/nodes/n1/eligibility", "{\"eligible\": false}");
    assertThat(r.json().path("spec").path("eligible").asBoolean()).isFalse();
    c.apply(service("web", 4, "{strategy: binpack}", 1));

    await().until(() -> c.perNode().equals(Map.of("n1", 2, "n2", 2)));
    assertThat(c.eventMessages("Node/n1", "NodeIneligible"))
        .containsExactly("the node takes no new instances; running ones stay");
  }

  @Test
  void nodeActionsSayWhatIsWrongWithTheRequest() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    ApiClient.Response missing = c.api.post("/v1/nodes/nope/drain", "{\"drain\": true}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorMessage()).isEqualTo("Node \"nope\" not found");

    c.join("n1");
    ApiClient.Response bad = c.api.post("/v1/nodes/n1/eligibility", "{\"eligible\": \"yes\"}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().path("error").path("problems").get(0).path("path").asText()).isEqualTo("eligible");
    assertThat(bad.json().path("error").path("problems").get(0).path("reason").asText()).isEqualTo("must be true or false");
  }

  @Test
  void rebalanceMovesInstancesOntoAJoinedNodeOnRequest() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.apply(service("web", 4, "{strategy: spread}", 1));
    await().until(() -> c.perNode().equals(Map.of("n1", 4)));
    c.runAll();
    c.join("n2");
    c.join("n3");
    await().until(() -> c.condition("web", "Scheduled").path("status").asBoolean());
    assertThat(c.perNode()).as("a joining node alone moves nothing").isEqualTo(Map.of("n1", 4));

    ApiClient.Response r = c.api.post("/v1/namespaces/default/services/web/rebalance", "");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);

    await().until(() -> {
      c.runAll();
      return c.perNode().equals(Map.of("n1", 2, "n2", 1, "n3", 1));
    });
    await().until(() -> c.condition("web", "Rebalance").path("reason").asText().equals("Balanced"));
    assertThat(c.condition("web", "Rebalance").path("status").asBoolean()).isFalse();
    assertThat(c.eventMessages("Service/web", "RebalanceRequested")).hasSize(1);
  }

  @Test
  void placementRebalanceMovesInstancesWhenANodeJoins() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.apply(service("web", 4, "{strategy: spread, rebalance: true}", 1));
    await().until(() -> c.perNode().equals(Map.of("n1", 4)));
    c.runAll();

    c.join("n2");

    await().until(() -> {
      c.runAll();
      return c.perNode().equals(Map.of("n1", 2, "n2", 2));
    });
  }

  @Test
  void nodeUsageSaysWhatEachNodesInstancesHold() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.join("n2");
    c.api.post("/v1/nodes/n2/drain", "{\"drain\": true}");
    c.apply(service("web", 2, "{strategy: binpack}", 1));
    await().until(() -> c.instances().size() == 2);

    JsonNode items = c.api.get("/v1/node-usage").json().path("items");

    assertThat(items.toString()).isEqualTo("[{\"name\":\"n1\",\"address\":\"127.0.0.1\",\"state\":\"ready\","
        + "\"drain\":false,\"eligible\":true,\"cpuUsed\":\"200m\",\"cpuAllocatable\":\"4\",\"memoryUsed\":\"128Mi\","
        + "\"memoryAllocatable\":\"4Gi\",\"instances\":2},"
        + "{\"name\":\"n2\",\"address\":\"127.0.0.1\",\"state\":\"ready\",\"drain\":true,\"eligible\":true,"
        + "\"cpuUsed\":\"0\",\"cpuAllocatable\":\"4\",\"memoryUsed\":\"0\",\"memoryAllocatable\":\"4Gi\",\"instances\":0}]");
  }
}
