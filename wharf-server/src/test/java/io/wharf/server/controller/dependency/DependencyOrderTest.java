package io.wharf.server.controller.dependency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.FakeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start and stop order through the real controllers on a real embedded store; the test plays the
 * agent (it reports instances running), so each step is observed in the stored state.
 */
class DependencyOrderTest {
  @TempDir Path dir;
  FakeCluster c;

  static final String CHAIN = """
      stack: shop
      namespace: default
      services:
        frontend:
          command: ["/bin/sleep", "600"]
          stopGracePeriod: 1s
          dependsOn: [api]
        api:
          command: ["/bin/sleep", "600"]
          stopGracePeriod: 1s
          dependsOn:
            db: {condition: started, timeout: 1m}
        db:
          command: ["/bin/sleep", "600"]
          stopGracePeriod: 1s
        cache:
          command: ["/bin/sleep", "600"]
      """;

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  Map<String, Integer> perService() {
    Map<String, Integer> out = new TreeMap<>();
    c.instances().forEach(i -> out.merge(i.path("metadata").path("labels").path("wharf.io/service").asText(), 1,
        Integer::sum));
    return out;
  }

  @Test
  void servicesStartInDependencyOrderAndIndependentOnesAtOnce() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.apply(CHAIN);

    // db and cache depend on nothing: both start; api waits for db, frontend for api.
    await().until(() -> perService().equals(Map.of("cache", 1, "db", 1)));
    await().until(() -> c.condition("api", "DependenciesMet").path("reason").asText().equals("WaitingForDependency"));
    assertThat(c.condition("api", "DependenciesMet").path("message").asText())
        .isEqualTo("waiting for service \"db\" to be started (0 of 1 running)");
    assertThat(c.condition("api", "DependenciesMet").path("status").asBoolean()).isFalse();
    await().until(() -> c.condition("frontend", "DependenciesMet").path("message").asText()
        .equals("waiting for service \"api\" to be started (0 of 1 running)"));

    c.runAll(); // db (and cache) running
    await().until(() -> perService().equals(Map.of("api", 1, "cache", 1, "db", 1)));
    assertThat(perService()).doesNotContainKey("frontend");

    c.runAll(); // api running
    await().until(() -> perService().equals(Map.of("api", 1, "cache", 1, "db", 1, "frontend", 1)));
    await().until(() -> c.condition("api", "DependenciesMet").path("status").asBoolean());
  }

  @Test
  void aDependencyNotMetInTimeIsReportedAndTheServiceStartsWhenItIsMetLater() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.apply("""
        stack: shop
        namespace: default
        services:
          api:
            command: ["/bin/sleep", "600"]
            dependsOn:
              db: {condition: started, timeout: 1s}
          db:
            command: ["/bin/sleep", "600"]
        """);

    await().until(() -> c.condition("api", "DependenciesMet").path("reason").asText().equals("DependencyTimeout"));
    String message = "dependency \"db\" not started within 1s; instances are not started"
        + " (waiting for service \"db\" to be started (0 of 1 running))";
    assertThat(c.condition("api", "DependenciesMet").path("message").asText()).isEqualTo(message);
    assertThat(c.eventMessages("Service/api", "DependencyTimeout")).containsExactly(message);
    assertThat(perService()).isEqualTo(Map.of("db", 1));

    c.runAll();
    await().atMost(Duration.ofSeconds(20)).until(() -> perService().equals(Map.of("api", 1, "db", 1)));
    assertThat(c.eventMessages("Service/api", "DependencyTimeout")).hasSize(1);
  }

  @Test
  void aServiceWaitsForAJobToComplete() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.apply("""
        stack: shop
        namespace: default
        services:
          api:
            command: ["/bin/sleep", "600"]
            dependsOn:
              migrate: completed
        jobs:
          migrate:
            command: ["/bin/true"]
        """);
    // The job controller starts the job's run at once; the test plays the agent that runs it.
    await().until(() -> c.condition("api", "DependenciesMet").path("message").asText()
        .equals("waiting for job \"migrate\" to be completed (it is running)"));
    assertThat(perService()).doesNotContainKey("api");

    await().until(() -> c.instances().size() == 1);
    String migrate = c.instances().getFirst().path("metadata").path("name").asText();
    assertThat(c.instances().getFirst().path("metadata").path("labels").path("wharf.io/job").asText())
        .isEqualTo("migrate");
    ApiClient.Response done = c.api.post("/v1/instances/status", """
        {"items": [{"namespace": "default", "name": "%s", "status": {"state": "completed", "exitCode": 0}}]}"""
        .formatted(migrate));
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    await().until(() -> c.api.get("/v1/namespaces/default/jobs/migrate").json().path("status").path("phase").asText()
        .equals("succeeded"));
    await().until(() -> perService().getOrDefault("api", 0) == 1);
  }


  @Test
  void deletingTheStackStopsDependentsFirstAndDeletesEverything() {
    c = new FakeCluster(dir, Duration.ofSeconds(15));
    c.join("n1");
    c.apply(CHAIN);
    await().until(() -> {
      c.runAll();
      return perService().equals(Map.of("api", 1, "cache", 1, "db", 1, "frontend", 1));
    });

    ApiClient.Response r = c.api.send("/v1/delete", "POST", "application/yaml", CHAIN);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(names(r.json().path("stopping"))).containsExactlyInAnyOrder("frontend", "api", "db");
    assertThat(names(r.json().path("deleted"))).containsExactlyInAnyOrder("cache", "shop");
    assertThat(r.json().path("deleteOrder").toString()).isEqualTo("[[\"frontend\"],[\"api\"],[\"db\",\"cache\"]]");

    await().atMost(Duration.ofSeconds(30)).until(() -> c.api.get("/v1/namespaces/default/services").json()
        .path("items").isEmpty());
    assertThat(c.instances()).isEmpty();

    // The order, from the event log: each service's instances go only after its dependent is gone.
    List<String> order = new ArrayList<>();
    for (JsonNode e : c.api.get("/v1/events?limit=1000").json().path("items")) {
      JsonNode spec = e.path("spec");
      String who = spec.path("involved").path("name").asText();
      if (spec.path("involved").path("kind").asText().equals("Service")
          && Set.of("InstancesRemoved", "Deleted").contains(spec.path("reason").asText())
          && Set.of("frontend", "api", "db").contains(who)) {
        order.add(spec.path("reason").asText() + " " + who);
      }
    }
    assertThat(order).containsSubsequence("InstancesRemoved frontend", "Deleted frontend",
        "InstancesRemoved api", "Deleted api", "InstancesRemoved db", "Deleted db");
  }

  static Set<String> names(JsonNode targets) {
    Set<String> out = new HashSet<>();
    targets.forEach(t -> out.add(t.path("name").asText()));
    return out;
  }
}
