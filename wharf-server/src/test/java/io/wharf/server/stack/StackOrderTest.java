package io.wharf.server.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/plan} shows start and delete order; cycles are refused at plan time, named. */
class StackOrderTest {
  @TempDir Path dir;
  ServerFixture fx;
  ApiClient api;

  @BeforeEach
  void start() {
    fx = ServerFixture.start(TestStores.open(dir), ServerFixture.tuning());
    api = fx.client;
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  ApiClient.Response plan(String yaml) {
    return api.send("/v1/plan", "POST", "application/yaml", yaml);
  }

  @Test
  void thePlanListsStartWavesAndTheirReverseForDeletion() {
    ApiClient.Response r = plan("""
        stack: shop
        namespace: default
        services:
          frontend:
            command: ["/bin/sleep", "600"]
            dependsOn: [api]
          api:
            command: ["/bin/sleep", "600"]
            dependsOn: [db, cache, migrate]
          db:
            command: ["/bin/sleep", "600"]
          cache:
            command: ["/bin/sleep", "600"]
        jobs:
          migrate:
            command: ["/bin/true"]
            dependsOn: [db]
        """);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("startOrder").toString())
        .isEqualTo("[[\"db\",\"cache\"],[\"migrate\"],[\"api\"],[\"frontend\"]]");
    assertThat(r.json().path("deleteOrder").toString())
        .isEqualTo("[[\"frontend\"],[\"api\"],[\"migrate\"],[\"db\",\"cache\"]]");
  }

  @Test
  void aStackWithoutServicesOrJobsHasNoOrder() {
    ApiClient.Response r = plan("""
        stack: shop
        namespace: default
        configs:
          settings: {data: "a=1"}
        """);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().has("startOrder")).isFalse();
  }

  @Test
  void aCycleIsRefusedAtPlanTimeWithTheCycleNamedAndNothingWritten() {
    String cyclic = """
        stack: shop
        namespace: default
        services:
          a:
            command: ["/bin/sleep", "600"]
            dependsOn: [b]
          b:
            command: ["/bin/sleep", "600"]
            dependsOn: [c]
          c:
            command: ["/bin/sleep", "600"]
            dependsOn: [a]
          d:
            command: ["/bin/sleep", "600"]
        """;
    ApiClient.Response r = plan(cyclic);
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(problems(r)).containsExactly("services.a.dependsOn: dependency cycle a -> b -> c -> a");

    ApiClient.Response applied = api.send("/v1/apply", "POST", "application/yaml", cyclic);
    assertThat(applied.status()).isEqualTo(422);
    assertThat(problems(applied)).containsExactly("services.a.dependsOn: dependency cycle a -> b -> c -> a");
    assertThat(api.get("/v1/namespaces/default/services").json().path("items")).isEmpty();
  }

  static List<String> problems(ApiClient.Response r) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : r.json().path("error").path("problems")) {
      out.add(p.path("path").asText() + ": " + p.path("reason").asText());
    }
    return out;
  }
}
