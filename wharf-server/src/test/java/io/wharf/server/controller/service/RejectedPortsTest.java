package io.wharf.server.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.model.Node;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Nodes;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic ports and what the node says about them: ports a node reports in use are never handed
 * out there, and an instance its node refused ({@code rejected}: a port was taken) is replaced by
 * one on another port, the refused one deleted with its replacement's placement.
 */
class RejectedPortsTest {
  @TempDir Path dir;
  ServerFixture f;
  ApiClient api;

  @BeforeEach
  void start() {
    f = ServerFixture.start(TestStores.open(dir), ServerFixture.tuning().withControllers(true)
        .withNodeTtl(Duration.ofSeconds(15)));
    api = f.client;
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void portsANodeReportsInUseAreSkippedAndARejectedInstanceIsReplacedOnAnotherPort() {
    Node node = Nodes.node("n1", null);
    Nodes.register(api, new Node(node.metadata(), node.spec(), node.status().withPortsInUse(List.of(20000, 20002))));
    assertThat(api.post("/v1/nodes/n1/heartbeat", "").json().path("state").asText()).isEqualTo("ready");
    apply("""
        stack: shop
        namespace: default
        services:
          web:
            command: ["/bin/sleep", "60"]
            ports:
              - {name: http, port: 0}
              - {name: admin, port: 0}
        """);

    await().until(() -> instances().size() == 1);
    JsonNode first = instances().getFirst();
    assertThat(ports(first)).containsExactly(20001, 20003);

    String name = first.path("metadata").path("name").asText();
    ApiClient.Response r = api.post("/v1/instances/status", """
        {"items": [{"namespace": "default", "name": "%s", "status": {"state": "rejected",
          "exitReason": "port http (127.0.0.1:20001) is already in use on node n1"}}]}""".formatted(name));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);

    await().until(() -> instances().size() == 1 && !instances().getFirst().path("metadata").path("name").asText()
        .equals(name));
    JsonNode replacement = instances().getFirst();
    assertThat(replacement.path("status").path("state").asText()).isEqualTo("pending");
    assertThat(ports(replacement)).doesNotContain(20000, 20002).hasSize(2);
    assertThat(messages("Instance/" + name, "InstanceRejected"))
        .containsExactly("port http (127.0.0.1:20001) is already in use on node n1");
    assertThat(messages("Service/web", "InstancesRemoved"))
        .containsExactly("removed 1 instance: rejected by node n1: port http (127.0.0.1:20001) is already in use on node n1");
  }

  void apply(String yaml) {
    ApiClient.Response r = api.send("/v1/apply", "POST", "application/yaml", yaml);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  List<JsonNode> instances() {
    List<JsonNode> out = new ArrayList<>();
    api.get("/v1/namespaces/default/instances").json().path("items").forEach(out::add);
    return out;
  }

  static List<Integer> ports(JsonNode instance) {
    return List.of(instance.path("spec").path("assignedPorts").path("http").asInt(),
        instance.path("spec").path("assignedPorts").path("admin").asInt());
  }

  List<String> messages(String involved, String reason) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : api.get("/v1/events?involved=" + involved).json().path("items")) {
      if (e.path("spec").path("reason").asText().equals(reason)) {
        out.add(e.path("spec").path("message").asText());
      }
    }
    return out;
  }
}
