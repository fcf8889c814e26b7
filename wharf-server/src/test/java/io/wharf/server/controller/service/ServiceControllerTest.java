package io.wharf.server.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Nodes;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controllers end to end: a real control plane on a real embedded store, nodes registered as agents do. */
class ServiceControllerTest {
  @TempDir Path dir;
  ServerFixture f;
  ApiClient api;

  @BeforeEach
  void start() {
    start(Duration.ofSeconds(15));
  }

  void start(Duration nodeTtl) {
    f = ServerFixture.start(TestStores.open(dir), ServerFixture.tuning().withControllers(true).withNodeTtl(nodeTtl));
    api = f.client;
  }

  @AfterEach
  void stop() {
    f.close();
  }

  static String stack(int replicas, String sleep) {
    return """
        stack: shop
        namespace: default
        services:
          web:
            replicas: %d
            command: ["/bin/sleep", "%s"]
            ports:
              - {name: http, port: 0}
              - {name: admin, port: 0}
        """.formatted(replicas, sleep);
  }

  void apply(String yaml) {
    ApiClient.Response r = api.send("/v1/apply", "POST", "application/yaml", yaml);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  void readyNode(String name) {
    Nodes.register(api, Nodes.node(name, null));
    assertThat(api.post("/v1/nodes/" + name + "/heartbeat", "").json().path("state").asText()).isEqualTo("ready");
  }

  List<JsonNode> instances() {
    List<JsonNode> out = new ArrayList<>();
    api.get("/v1/namespaces/default/instances").json().path("items").forEach(out::add);
    return out;
  }

  static Set<String> names(List<JsonNode> instances) {
    Set<String> out = new HashSet<>();
    instances.forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }

  /** Reports every instance that is not running yet as running, as an agent that started them would. */
  void runAll() {
    List<String> items = new ArrayList<>();
    for (JsonNode i : instances()) {
      if (!i.path("status").path("state").asText().equals("running")) {
        items.add("{\"namespace\": \"default\", \"name\": \"" + i.path("metadata").path("name").asText()
            + "\", \"status\": {\"state\": \"running\"}}");
      }
    }
    if (!items.isEmpty()) {
      api.post("/v1/instances/status", "{\"items\": [" + String.join(",", items) + "]}");
    }
  }

  List<String> reasons(String involved) {
    return api.get("/v1/events?involved=" + involved).json().path("items").findValuesAsText("reason");
  }

  @Test
  void aServiceIsKeptAtItsReplicasThroughScaleChangeAndDelete() {
    readyNode("n1");
    apply(stack(3, "1000"));

    await().until(() -> instances().size() == 3);
    List<JsonNode> three = instances();
    Set<Integer> ports = new HashSet<>();
    for (JsonNode i : three) {
      assertThat(i.path("metadata").path("name").asText()).matches("web-[a-z0-9]{8}");
      assertThat(i.path("metadata").path("labels").path("wharf.io/service").asText()).isEqualTo("web");
      assertThat(i.path("metadata").path("labels").path("wharf.io/stack").asText()).isEqualTo("shop");
      assertThat(i.path("spec").path("node").asText()).isEqualTo("n1");
      assertThat(i.path("spec").path("owner").path("name").asText()).isEqualTo("web");
      i.path("spec").path("assignedPorts").forEach(p -> ports.add(p.asInt()));
    }
    assertThat(ports).as("six distinct dynamic ports").hasSize(6).allSatisfy(p -> assertThat(p).isBetween(20000, 32000));
    await().until(() -> api.get("/v1/namespaces/default/services/web").json().path("status").path("desired").asInt() == 3);

    apply(stack(1, "1000"));
    await().until(() -> instances().size() == 1);
    String oldest = three.stream().min(java.util.Comparator.comparing(
        (JsonNode i) -> i.path("metadata").path("createdAt").asText()).thenComparing(i -> i.path("metadata").path("name").asText()))
        .orElseThrow().path("metadata").path("name").asText();
    assertThat(names(instances())).as("the newest were deleted").containsExactly(oldest);

    // A changed command is a rollout: it replaces instances as new ones become ready, so play
    // the agent that runs them.
    apply(stack(2, "2000").replace("    ports:", "    update: {minHealthyTime: 0s}\n    ports:"));
    await().until(() -> {
      runAll();
      return instances().size() == 2 && instances().stream().allMatch(i ->
          i.path("spec").path("tasks").toString().contains("2000"));
    });
    assertThat(names(instances())).doesNotContain(oldest);

    assertThat(api.delete("/v1/namespaces/default/services/web").status()).isEqualTo(200);
    await().until(() -> instances().isEmpty());
  }

  @Test
  void aServiceThatCannotBePlacedSaysWhyOnceAndIsPlacedWhenANodeArrives() {
    apply(stack(1, "1000"));

    await().until(() -> reasons("Service/web").contains("PlacementFailed"));
    JsonNode service = api.get("/v1/namespaces/default/services/web").json();
    JsonNode condition = service.path("status").path("conditions").get(0);
    assertThat(condition.path("type").asText()).isEqualTo("Scheduled");
    assertThat(condition.path("status").asBoolean()).isFalse();
    assertThat(condition.path("message").asText()).isEqualTo("no nodes are registered");

    Nodes.register(api, Nodes.node("n1", null));
    await().until(() -> api.get("/v1/namespaces/default/services/web").json().path("status").path("conditions").get(0)
        .path("message").asText().equals("1 node: node is not ready"));
    api.post("/v1/nodes/n1/heartbeat", "");

    await().until(() -> instances().size() == 1);
    await().until(() -> api.get("/v1/namespaces/default/services/web").json().path("status").path("conditions").get(0)
        .path("status").asBoolean());
    assertThat(reasons("Service/web").stream().filter("PlacementFailed"::equals)).hasSize(2);
  }

  @Test
  void statusReportsOfInstancesShowInTheServiceCounts() {
    readyNode("n1");
    apply(stack(3, "1000"));
    await().until(() -> instances().size() == 3);
    List<String> names = new ArrayList<>(names(instances()));

    ApiClient.Response r = api.post("/v1/instances/status", """
        {"items": [
          {"namespace": "default", "name": "%s", "status": {"state": "running", "health": "healthy"}},
          {"namespace": "default", "name": "%s", "status": {"state": "running", "health": "unhealthy"}},
          {"namespace": "default", "name": "%s", "status": {"state": "starting"}}]}"""
        .formatted(names.get(0), names.get(1), names.get(2)));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);

    await().untilAsserted(() -> {
      JsonNode status = api.get("/v1/namespaces/default/services/web").json().path("status");
      assertThat(List.of(status.path("desired").asInt(), status.path("running").asInt(), status.path("ready").asInt()))
          .containsExactly(3, 2, 1);
    });
  }

  @Test
  void aNodeWithoutHeartbeatsGoesDownItsInstancesAreLostAndRerunWhenItReturns() {
    f.close();
    start(Duration.ofSeconds(1));
    readyNode("n1");
    apply(stack(2, "1000"));
    await().until(() -> instances().size() == 2);

    await().atMost(Duration.ofSeconds(15)).until(() ->
        api.get("/v1/nodes/n1").json().path("status").path("state").asText().equals("down"));
    assertThat(reasons("Node/n1")).contains("NodeDown");
    await().until(() -> instances().stream().allMatch(i -> i.path("status").path("state").asText().equals("failed")
        && i.path("status").path("exitReason").asText().equals("node down")));
    Set<String> lost = names(instances());

    assertThat(api.post("/v1/nodes/n1/heartbeat", "").json().path("state").asText()).isEqualTo("ready");
    assertThat(reasons("Node/n1")).contains("NodeReady");
    await().until(() -> instances().stream().allMatch(i -> i.path("status").path("state").asText().equals("pending")));
    assertThat(names(instances())).as("the same instances run again").isEqualTo(lost);
  }
}
