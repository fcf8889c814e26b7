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

/**
 * {@code POST /v1/delete} without controllers: what goes at once, what is only marked to stop in
 * order, bad input, and an apply that cancels a stop.
 */
class StackDeleteTest {
  @TempDir Path dir;
  ServerFixture fx;
  ApiClient api;

  static final String STACK = """
      stack: shop
      namespace: default
      configs:
        settings: {data: "a=1"}
      services:
        api:
          command: ["/bin/sleep", "600"]
          dependsOn: [db]
        db:
          command: ["/bin/sleep", "600"]
        web:
          command: ["/bin/sleep", "600"]
      """;

  @BeforeEach
  void start() {
    fx = ServerFixture.start(TestStores.open(dir), ServerFixture.tuning());
    api = fx.client;
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  ApiClient.Response post(String path, String yaml) {
    return api.send(path, "POST", "application/yaml", yaml);
  }

  static List<String> targets(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(t -> out.add(t.path("kind").asText() + " " + t.path("name").asText()));
    return out;
  }

  @Test
  void dependentServicesAreMarkedAndTheRestGoesAtOnceInOneTransaction() {
    assertThat(post("/v1/apply", STACK).status()).isEqualTo(200);

    ApiClient.Response r = post("/v1/delete", STACK);

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(targets(r.json().path("deleted"))).containsExactlyInAnyOrder("Config settings", "Service web",
        "Stack shop");
    assertThat(targets(r.json().path("stopping"))).containsExactlyInAnyOrder("Service api", "Service db");
    assertThat(targets(r.json().path("notFound"))).isEmpty();
    assertThat(api.get("/v1/namespaces/default/services/web").status()).isEqualTo(404);
    assertThat(api.get("/v1/namespaces/default/configs/settings").status()).isEqualTo(404);
    JsonNode db = api.get("/v1/namespaces/default/services/db").json();
    assertThat(db.path("metadata").path("labels").path("wharf.io/deleting").asText()).isEqualTo("true");
    long revision = r.json().path("revision").asLong();
    assertThat(db.path("metadata").path("revision").asLong()).isEqualTo(revision);
    assertThat(api.get("/v1/namespaces/default/services/api").json().path("metadata").path("revision").asLong())
        .isEqualTo(revision);
  }

  @Test
  void aServiceWhoseDependentIsAlreadyGoneIsDeletedAtOnce() {
    assertThat(post("/v1/apply", STACK).status()).isEqualTo(200);
    assertThat(api.delete("/v1/namespaces/default/services/api").status()).isEqualTo(200);

    ApiClient.Response r = post("/v1/delete", STACK);

    assertThat(targets(r.json().path("stopping"))).isEmpty();
    assertThat(targets(r.json().path("deleted"))).containsExactlyInAnyOrder("Config settings", "Service db",
        "Service web", "Stack shop");
    assertThat(targets(r.json().path("notFound"))).containsExactly("Service api");
  }

  @Test
  void deletingTwiceReportsWhatIsGoneAndMarksNothingAgain() {
    assertThat(post("/v1/apply", STACK).status()).isEqualTo(200);
    long first = post("/v1/delete", STACK).json().path("revision").asLong();

    ApiClient.Response again = post("/v1/delete", STACK);

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("revision").asLong()).isZero();
    assertThat(targets(again.json().path("stopping"))).containsExactlyInAnyOrder("Service api", "Service db");
    assertThat(targets(again.json().path("notFound"))).containsExactlyInAnyOrder("Config settings", "Service web",
        "Stack shop");
    assertThat(api.get("/v1/namespaces/default/services/db").json().path("metadata").path("revision").asLong())
        .isEqualTo(first);
  }

  @Test
  void applyingTheStackAgainCancelsTheStop() {
    assertThat(post("/v1/apply", STACK).status()).isEqualTo(200);
    post("/v1/delete", STACK);

    ApiClient.Response plan = post("/v1/plan", STACK);
    assertThat(plan.json().path("changes").toString()).contains("metadata.labels.wharf.io/deleting");
    assertThat(post("/v1/apply", STACK).status()).isEqualTo(200);

    assertThat(api.get("/v1/namespaces/default/services/db").json().path("metadata").path("labels")
        .has("wharf.io/deleting")).isFalse();
  }

  @Test
  void anInvalidStackFileDeletesNothingAndNamesTheProblem() {
    assertThat(post("/v1/apply", STACK).status()).isEqualTo(200);

    ApiClient.Response r = post("/v1/delete", STACK.replace("dependsOn: [db]", "dependsOn: [dbb]"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(StackOrderTest.problems(r))
        .containsExactly("services.api.dependsOn[0]: unknown service or job \"dbb\" (did you mean \"db\"?)");
    assertThat(api.get("/v1/namespaces/default/services/web").status()).isEqualTo(200);
    assertThat(api.get("/v1/namespaces/default/services/db").json().path("metadata").path("labels")
        .has("wharf.io/deleting")).isFalse();
  }
}
