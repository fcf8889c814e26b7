package io.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.stack.ChangeAction;
import io.wharf.client.stack.Plan;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WharfClientTest {

  private static final String WEB = """
      {"kind":"Service","metadata":{"name":"web","namespace":"default","revision":42},
       "spec":{"replicas":2},"status":{}}""";

  @Test
  void getReadsAnObjectFromItsNamespacedPath() {
    try (FakeApiServer server = FakeApiServer.answering(200, WEB);
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      JsonNode web = client.get("services", "default", "web");

      assertThat(web.path("spec").path("replicas").asInt()).isEqualTo(2);
      assertThat(server.requests()).singleElement().satisfies(r -> {
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.path()).isEqualTo("/v1/namespaces/default/services/web");
      });
    }
  }

  @Test
  void clusterScopedKindsHaveNoNamespaceInThePath() {
    try (FakeApiServer server = FakeApiServer.answering(200, "{\"kind\":\"Node\"}");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      client.get("nodes", null, "n1");

      assertThat(server.requests().getFirst().path()).isEqualTo("/v1/nodes/n1");
    }
  }

  @Test
  void listAllFollowsContinueTokensAndSendsTheFilters() {
    AtomicInteger page = new AtomicInteger();
    try (FakeApiServer server = new FakeApiServer((exchange, request) ->
        FakeApiServer.respond(exchange, 200, page.getAndIncrement() == 0
            ? "{\"kind\":\"ServiceList\",\"revision\":7,\"items\":[" + WEB + "],\"continue\":\"p2\"}"
            : "{\"kind\":\"ServiceList\",\"revision\":8,\"items\":[" + WEB.replace("web", "api")
                + "],\"continue\":null}"));
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      List<JsonNode> all = client.listAll("services",
          ListOptions.inNamespace("default").withLabels(Map.of("tier", "front", "app", "web"))
              .withLimit(1));

      assertThat(all).extracting(o -> o.path("metadata").path("name").asText())
          .containsExactly("web", "api");
      assertThat(server.requests()).extracting(FakeApiServer.Recorded::query).containsExactly(
          "namespace=default&labels=app%3Dweb%2Ctier%3Dfront&limit=1",
          "namespace=default&labels=app%3Dweb%2Ctier%3Dfront&limit=1&continue=p2");
    }
  }

  @Test
  void aServerErrorBecomesAnApiExceptionWithEveryProblem() {
    String error = """
        {"error":{"code":"invalid","message":"stack file has 2 problems","problems":[
          {"path":"services.web.replicas","reason":"must be >= 0"},
          {"path":"services.api.dependsOn[0]","reason":"unknown service \\"dbb\\""}]}}""";
    try (FakeApiServer server = FakeApiServer.answering(422, error);
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      assertThatThrownBy(() -> client.plan("name: shop", WharfClient.YAML))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.code()).isEqualTo("invalid");
            assertThat(e.serverMessage()).isEqualTo("stack file has 2 problems");
            assertThat(e.problems()).extracting(ApiProblem::toString).containsExactly(
                "services.web.replicas: must be >= 0",
                "services.api.dependsOn[0]: unknown service \"dbb\"");
          });
    }
  }

  @Test
  void anErrorBodyThatIsNotTheApisShapeStillGivesStatusAndCode() {
    try (FakeApiServer server = FakeApiServer.answering(404, "<html>nope</html>");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      assertThatThrownBy(() -> client.get("services", "default", "x"))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("not_found");
            assertThat(e.serverMessage()).isEqualTo("HTTP 404: <html>nope</html>");
          });
    }
  }

  @Test
  void deleteWithARevisionIsConditional() {
    try (FakeApiServer server = FakeApiServer.answering(200, WEB);
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      client.delete("services", "default", "web", 42);

      assertThat(server.requests().getFirst()).satisfies(r -> {
        assertThat(r.method()).isEqualTo("DELETE");
        assertThat(r.path()).isEqualTo("/v1/namespaces/default/services/web");
        assertThat(r.query()).isEqualTo("revision=42");
      });
    }
  }

  @Test
  void putAndCreateSendJsonBodies() {
    try (FakeApiServer server = FakeApiServer.answering(201, WEB);
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      JsonNode body = client.json().createObjectNode().put("kind", "Service");
      client.put("services", "default", "web", body);
      client.create("services", "default", body);

      assertThat(server.requests()).extracting(r -> r.method() + " " + r.path() + " "
          + r.contentType() + " " + r.body()).containsExactly(
          "PUT /v1/namespaces/default/services/web application/json {\"kind\":\"Service\"}",
          "POST /v1/namespaces/default/services application/json {\"kind\":\"Service\"}");
    }
  }

  @Test
  void applySendsTheStackWithItsContentTypeAndTheExpectedRevision() {
    String plan = """
        {"stack":"shop","namespace":"default","revision":58,"changes":[
          {"action":"update","kind":"Service","namespace":"default","name":"api",
           "diff":[{"path":"spec.replicas","old":2,"new":3}]}],
         "summary":{"create":0,"update":1,"delete":0,"unchanged":4}}""";
    try (FakeApiServer server = FakeApiServer.answering(200, plan);
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      Plan applied = client.apply("name: shop\n", WharfClient.YAML, OptionalLong.of(57));

      assertThat(applied.revision()).isEqualTo(58);
      assertThat(applied.changes()).singleElement().satisfies(c -> {
        assertThat(c.action()).isEqualTo(ChangeAction.UPDATE);
        assertThat(c.qualifiedName()).isEqualTo("default/api");
        assertThat(c.diff().getFirst().oldValue().asInt()).isEqualTo(2);
        assertThat(c.diff().getFirst().newValue().asInt()).isEqualTo(3);
      });
      assertThat(applied.summary().unchanged()).isEqualTo(4);
      assertThat(server.requests().getFirst()).satisfies(r -> {
        assertThat(r.path()).isEqualTo("/v1/apply");
        assertThat(r.query()).isEqualTo("expectRevision=57");
        assertThat(r.contentType()).isEqualTo("application/yaml");
        assertThat(r.body()).isEqualTo("name: shop\n");
      });
    }
  }

  @Test
  void anUnreachableServerIsAClientExceptionNamingTheAddress() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI address = URI.create("http://127.0.0.1:" + port);
    try (WharfClient client = new WharfClient(ClientSettings.of(address))) {
      assertThatThrownBy(client::health)
          .isExactlyInstanceOf(ClientException.class)
          .hasMessage("cannot reach the Wharf server at " + address
              + ": connection refused (is it running? set --addr or WHARF_ADDR)");
    }
  }
}
