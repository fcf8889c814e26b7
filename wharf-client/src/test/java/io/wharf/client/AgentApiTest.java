package io.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent calls against a scripted server: paths, bodies, and fallbacks for older servers. */
class AgentApiTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void instancesOnANodeAreListedWithTheNodeFilter() {
    try (FakeApiServer server = FakeApiServer.answering(200, "{\"kind\":\"InstanceList\",\"revision\":9,\"items\":[]}");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      ResourceList list = new AgentApi(client).instancesOn("node-a", ListOptions.ALL);

      assertThat(list.revision()).isEqualTo(9);
      assertThat(server.requests().getFirst().path()).isEqualTo("/v1/instances");
      assertThat(server.requests().getFirst().query()).isEqualTo("node=node-a");
    }
  }

  @Test
  void aStatusReportIsOneBatchedCall() throws Exception {
    try (FakeApiServer server = FakeApiServer.answering(200, "{\"revision\":12,\"updated\":1,\"skipped\":[{\"namespace\":\"shop\",\"name\":\"gone-1\"}]}");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      StatusReport report = new AgentApi(client).reportStatus(List.of(
          new StatusItem("shop", "web-1", json.readTree("{\"state\":\"running\"}")),
          new StatusItem("shop", "gone-1", json.readTree("{\"state\":\"stopped\"}"))));

      assertThat(report).isEqualTo(new StatusReport(12, 1, List.of("shop/gone-1")));
      assertThat(server.requests()).singleElement().satisfies(r -> {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/instances/status");
        assertThat(json.readTree(r.body())).isEqualTo(json.readTree("""
            {"items":[{"namespace":"shop","name":"web-1","status":{"state":"running"}},
                      {"namespace":"shop","name":"gone-1","status":{"state":"stopped"}}]}"""));
      });
    }
  }

  @Test
  void aServerWithoutTheBatchEndpointGetsOneStatusWritePerInstance() throws Exception {
    String instance = "{\"kind\":\"Instance\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\",\"revision\":5},"
        + "\"spec\":{},\"status\":{}}";
    try (FakeApiServer server = new FakeApiServer((exchange, request) -> {
      if (request.method().equals("POST")) {
        FakeApiServer.respond(exchange, 405, "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"method not allowed on this path\"}}");
      } else {
        FakeApiServer.respond(exchange, 200, instance);
      }
    });
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      StatusReport report = new AgentApi(client).reportStatus(List.of(
          new StatusItem("shop", "web-1", json.readTree("{\"state\":\"running\"}"))));

      assertThat(report.updated()).isEqualTo(1);
      assertThat(server.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
          "POST /v1/instances/status", "GET /v1/namespaces/shop/instances/web-1",
          "PUT /v1/namespaces/shop/instances/web-1/status");
      assertThat(json.readTree(server.requests().get(2).body()).path("status").path("state").asText()).isEqualTo("running");
    }
  }

  @Test
  void batchHeartbeatsAreOneCallAnsweringEachNodesState() throws Exception {
    try (FakeApiServer server = FakeApiServer.answering(200,
        "{\"ttl\":\"15s\",\"nodes\":{\"a\":\"ready\",\"b\":\"not_registered\"}}");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      assertThat(new AgentApi(client).heartbeats(List.of("a", "b")))
          .containsExactly(java.util.Map.entry("a", "ready"), java.util.Map.entry("b", "not_registered"));
      assertThat(server.requests()).singleElement().satisfies(r -> {
        assertThat(r.method() + " " + r.path()).isEqualTo("POST /v1/nodes/heartbeats");
        assertThat(json.readTree(r.body())).isEqualTo(json.readTree("{\"nodes\":[\"a\",\"b\"]}"));
      });
    }
  }

  @Test
  void aServerWithoutBatchHeartbeatsGetsOneHeartbeatPerNode() {
    try (FakeApiServer server = new FakeApiServer((exchange, request) -> {
      switch (request.path()) {
        case "/v1/nodes/heartbeats" -> FakeApiServer.respond(exchange, 404,
            "{\"error\":{\"code\":\"not_found\",\"message\":\"no such route\"}}");
        case "/v1/nodes/a/heartbeat" -> FakeApiServer.respond(exchange, 200, "{\"ttl\":\"15s\",\"state\":\"ready\"}");
        default -> FakeApiServer.respond(exchange, 404,
            "{\"error\":{\"code\":\"not_found\",\"message\":\"Node \\\"b\\\" is not registered\"}}");
      }
    });
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      assertThat(new AgentApi(client).heartbeats(List.of("a", "b")))
          .containsExactly(java.util.Map.entry("a", "ready"), java.util.Map.entry("b", "not_registered"));
      assertThat(server.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
          "POST /v1/nodes/heartbeats", "POST /v1/nodes/a/heartbeat", "POST /v1/nodes/b/heartbeat");
    }
  }

  @Test
  void aHeartbeatOfAnUnknownNodeIsNotFoundSoTheAgentRegistersAgain() {
    try (FakeApiServer server = FakeApiServer.answering(404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"Node \\\"node-a\\\" not found\"}}");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      assertThatThrownBy(() -> new AgentApi(client).heartbeat("node-a"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isNotFound()).isTrue());
      assertThat(server.requests().getFirst().path()).isEqualTo("/v1/nodes/node-a/heartbeat");
    }
  }

  @Test
  void execReturnsTheCommandsExitCodeAndOutput() throws Exception {
    try (FakeApiServer server = FakeApiServer.answering(200, "{\"exitCode\":3,\"output\":\"nope\\n\"}");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      ExecOutcome outcome = new AgentApi(client).exec("shop", "web-1", null, List.of("sh", "-c", "exit 3"));

      assertThat(outcome).isEqualTo(new ExecOutcome(3, "nope\n"));
      assertThat(server.requests().getFirst().path()).isEqualTo("/v1/namespaces/shop/instances/web-1/exec");
      assertThat(json.readTree(server.requests().getFirst().body()))
          .isEqualTo(json.readTree("{\"command\":[\"sh\",\"-c\",\"exit 3\"]}"));
    }
  }
}
