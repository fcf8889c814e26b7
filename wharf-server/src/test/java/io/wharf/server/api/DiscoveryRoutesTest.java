package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.FakeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The discovery view over the API: ready instances and external endpoints, per service. */
class DiscoveryRoutesTest {
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

  private List<String> addresses(JsonNode service) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : service.path("endpoints")) {
      out.add(e.path("source").asText() + " " + e.path("address").asText() + ":" + e.path("ports").path("http").asInt()
          + (e.has("endpoint") ? " " + e.path("endpoint").asText() : ""));
    }
    return out;
  }

  private void report(String instance, String state, String health) {
    ApiClient.Response r = c.api.post("/v1/instances/status", "{\"items\": [{\"namespace\": \"default\", \"name\": \""
        + instance + "\", \"status\": {\"state\": \"" + state + "\", \"health\": \"" + health + "\"}}]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @Test
  void readyInstancesAndExternalEndpointsAreListedAndUnreadyOnesLeave() {
    c.join("n1");
    c.apply("""
        stack: shop
        namespace: default
        services:
          web:
            replicas: 2
            command: ["/bin/sleep", "1000"]
            ports: [{name: http, port: 0}]
          idle:
            replicas: 0
            command: ["/bin/sleep", "1000"]
        """);
    await().until(() -> c.instances().size() == 2);
    String path = "/v1/namespaces/default/services/web/endpoints";
    assertThat(addresses(c.api.get(path).json())).as("nothing is running yet").isEmpty();

    c.runAll();
    List<JsonNode> instances = c.instances();
    List<String> expected = new ArrayList<>();
    for (JsonNode i : instances) {
      expected.add("instance 127.0.0.1:" + i.path("spec").path("assignedPorts").path("http").asInt());
    }
    assertThat(addresses(c.api.get(path).json())).containsExactlyInAnyOrderElementsOf(expected);

    String first = instances.get(0).path("metadata").path("name").asText();
    report(first, "running", "unhealthy");
    JsonNode after = c.api.get(path).json();
    assertThat(after.path("endpoints")).hasSize(1);
    assertThat(after.path("endpoints").get(0).path("instance").asText()).isNotEqualTo(first);
    assertThat(after.path("revision").asLong()).isPositive();

    ApiClient.Response added = c.api.post("/v1/namespaces/default/endpoints", """
        {"kind": "Endpoint", "metadata": {"name": "web-vm"},
         "spec": {"service": "web", "address": "10.1.2.3", "ports": {"http": 8080}}}""");
    assertThat(added.status()).as(added.toString()).isEqualTo(201);
    assertThat(addresses(c.api.get(path).json())).contains("external 10.1.2.3:8080 web-vm").hasSize(2);

    JsonNode all = c.api.get("/v1/discovery?namespace=default").json();
    List<String> services = new ArrayList<>();
    all.path("items").forEach(s -> services.add(s.path("service").asText() + "=" + s.path("endpoints").size()));
    assertThat(services).containsExactly("idle=0", "web=2");

    assertThat(c.api.delete("/v1/namespaces/default/endpoints/web-vm").status()).isEqualTo(200);
    assertThat(addresses(c.api.get(path).json())).hasSize(1);
  }

  @Test
  void anExternalServiceExistsByItsEndpointsAndUnknownNamesAreNotFound() {
    ApiClient.Response added = c.api.post("/v1/namespaces/default/endpoints", """
        {"kind": "Endpoint", "metadata": {"name": "db-vm1"},
         "spec": {"service": "db", "address": "fd00::5", "ports": {"postgres": 5432}}}""");
    assertThat(added.status()).as(added.toString()).isEqualTo(201);
    JsonNode db = c.api.get("/v1/namespaces/default/services/db/endpoints").json();
    assertThat(db.path("endpoints").get(0).path("address").asText()).isEqualTo("fd00::5");
    assertThat(db.path("endpoints").get(0).path("ports").path("postgres").asInt()).isEqualTo(5432);

    ApiClient.Response missing = c.api.get("/v1/namespaces/default/services/nope/endpoints");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorMessage()).isEqualTo("no service or external endpoint named \"default/nope\"");
  }

  @Test
  void aBadEndpointIsRefusedWithTheFieldAndNothingIsWritten() {
    long before = c.server.store.revision();
    ApiClient.Response r = c.api.post("/v1/namespaces/default/endpoints", """
        {"kind": "Endpoint", "metadata": {"name": "db-vm1"},
         "spec": {"service": "db", "address": "db.internal", "ports": {"postgres": 0}}}""");
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    List<String> problems = new ArrayList<>();
    r.json().path("error").path("problems").forEach(p -> problems.add(p.path("path").asText() + ": "
        + p.path("reason").asText()));
    assertThat(problems).containsExactlyInAnyOrder(
        "spec.address: must be an IPv4 or IPv6 address such as 10.0.0.5, got \"db.internal\"",
        "spec.ports.postgres: must be >= 1");
    assertThat(c.server.store.revision()).as("only the refusal's audit entry").isEqualTo(before + 1);
  }
}
