package io.wharf.server.controller.rollout;

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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts through the real control plane on a real embedded store; the test plays the agent:
 * instances whose command is {@code /bin/false} fail, the others run (and are ready: no
 * readiness check).
 */
class RolloutTest {
  static final String SERVICE = "/v1/namespaces/default/services/web";

  @TempDir Path dir;
  FakeCluster cluster;
  ApiClient api;
  Thread agent;
  /** The most instances seen at once. */
  final AtomicInteger peak = new AtomicInteger();

  @BeforeEach
  void start() {
    cluster = new FakeCluster(dir, Duration.ofSeconds(15));
    api = cluster.api;
    cluster.join("n1");
    agent = Thread.ofVirtual().name("test-agent").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          playAgent();
          Thread.sleep(25); // an agent's report period, not a wait for a condition
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // the server is closing
        }
      }
    });
  }

  @AfterEach
  void stop() {
    agent.interrupt();
    cluster.close();
  }

  void playAgent() {
    List<JsonNode> all = cluster.instances();
    peak.accumulateAndGet(all.size(), Math::max);
    List<String> items = new ArrayList<>();
    for (JsonNode i : all) {
      String state = i.path("status").path("state").asText();
      boolean broken = i.path("spec").path("tasks").toString().contains("/bin/false");
      String want = broken ? "failed" : "running";
      if (!state.equals(want)) {
        items.add("{\"namespace\": \"default\", \"name\": \"" + i.path("metadata").path("name").asText()
            + "\", \"status\": {\"state\": \"" + want + "\"" + (broken ? ", \"exitCode\": 1" : "") + "}}");
      }
    }
    if (!items.isEmpty()) {
      api.post("/v1/instances/status", "{\"items\": [" + String.join(",", items) + "]}");
    }
  }

  static String stack(String command, String update) {
    return """
        stack: shop
        namespace: default
        services:
          web:
            replicas: 3
            command: %s
            update: %s
        """.formatted(command, update);
  }

  static final String V1 = "[\"/bin/sleep\", \"1000\"]";
  static final String V2 = "[\"/bin/sleep\", \"2000\"]";
  static final String BROKEN = "[\"/bin/false\", \"broken\"]";
  static final String FAST = "{maxSurge: 1, parallelism: 1, minHealthyTime: 0s, healthyDeadline: 20s}";

  JsonNode rollout() {
    ApiClient.Response r = api.get(SERVICE + "/rollout");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  String phase() {
    return rollout().path("rollout").path("phase").asText();
  }

  /** Applies and waits until the rollout of the applied template has settled in {@code phase}. */
  void applySettled(String yaml, String phase) {
    cluster.apply(yaml);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode r = rollout();
      return r.path("rollout").path("hash").asText().equals(r.path("template").asText())
          && r.path("rollout").path("phase").asText().equals(phase);
    });
  }

  Set<String> templates() {
    Set<String> out = new HashSet<>();
    cluster.instances().forEach(i -> out.add(i.path("metadata").path("labels").path("wharf.io/template").asText()));
    return out;
  }

  List<String> reasons() {
    List<String> out = new ArrayList<>();
    api.get("/v1/events?involved=Service/web").json().path("items")
        .forEach(e -> out.add(e.path("spec").path("reason").asText()));
    return out;
  }

  @Test
  void aRollingUpdateReplacesEveryInstanceWithinTheSurge() {
    applySettled(stack(V1, FAST), "succeeded");
    String v1 = rollout().path("template").asText();
    await().until(() -> templates().equals(Set.of(v1)) && cluster.instances().size() == 3);
    peak.set(0);

    applySettled(stack(V2, FAST), "succeeded");
    String v2 = rollout().path("template").asText();
    assertThat(v2).isNotEqualTo(v1).matches("[0-9a-f]{12}");
    await().until(() -> templates().equals(Set.of(v2)) && cluster.instances().size() == 3);
    assertThat(peak.get()).as("never more than replicas + maxSurge").isLessThanOrEqualTo(4);
    JsonNode view = rollout();
    assertThat(view.path("instances").path("current").asInt()).isEqualTo(3);
    assertThat(view.path("rollout").path("stable").path("tasks").toString()).contains("1000");
    assertThat(view.path("history").findValuesAsText("phase")).containsExactly("succeeded", "succeeded");
    assertThat(reasons()).contains("RolloutStarted", "RolloutSucceeded");
  }

  @Test
  void aBrokenVersionIsRolledBackAutomatically() {
    applySettled(stack(V1, FAST), "succeeded");
    String v1 = rollout().path("template").asText();
    await().until(() -> templates().equals(Set.of(v1)));

    cluster.apply(stack(BROKEN, FAST));
    await().atMost(Duration.ofSeconds(30)).until(() -> rollout().path("history").findValuesAsText("phase")
        .contains("rolled-back"));
    await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("succeeded"));
    JsonNode view = rollout();
    assertThat(view.path("template").asText()).as("the spec's template is v1's again").isEqualTo(v1);
    assertThat(view.path("rollout").path("rollback").asBoolean()).isTrue();
    // history: v1 succeeded, the broken one rolled back, the rollback succeeded
    assertThat(view.path("history").findValuesAsText("phase")).containsExactly("succeeded", "rolled-back", "succeeded");
    JsonNode failed = view.path("history").get(1);
    assertThat(failed.path("reason").asText()).matches("instance web-[a-z0-9]{8} ended before it was healthy");
    assertThat(cluster.service("web").path("spec").path("tasks").toString()).contains("/bin/sleep").doesNotContain("/bin/false");
    await().until(() -> templates().equals(Set.of(v1)) && cluster.instances().size() == 3);
    assertThat(reasons()).contains("RolloutRolledBack");
  }

  @Test
  void withoutAutoRollbackAFailedRolloutStaysFailed() {
    String update = "{maxSurge: 1, minHealthyTime: 0s, healthyDeadline: 20s, autoRollback: false}";
    applySettled(stack(V1, update), "succeeded");
    applySettled(stack(BROKEN, update), "failed");
    assertThat(cluster.service("web").path("spec").path("tasks").toString()).contains("/bin/false");
    assertThat(reasons()).contains("RolloutFailed");
    assertThat(cluster.instances().stream().filter(i -> i.path("spec").path("tasks").toString().contains("1000")))
        .as("old instances keep serving").hasSize(3);
  }

  @Test
  void canariesWaitForPromotionThenTheRestRolls() {
    String update = "{strategy: canary, canaries: 1, minHealthyTime: 0s, healthyDeadline: 20s}";
    applySettled(stack(V1, update), "succeeded");
    String v1 = rollout().path("template").asText();
    assertThat(api.post(SERVICE + "/rollout/promote", "").status()).as("nothing to promote yet").isEqualTo(409);

    applySettled(stack(V2, update), "paused");
    String v2 = rollout().path("template").asText();
    await().until(() -> cluster.instances().size() == 4);
    assertThat(cluster.instances().stream().filter(i -> i.path("metadata").path("labels")
        .path("wharf.io/template").asText().equals(v2))).as("one canary beside the three old").hasSize(1);
    assertThat(templates()).contains(v1);
    assertThat(reasons()).contains("RolloutPaused");

    ApiClient.Response promoted = api.post(SERVICE + "/rollout/promote", "");
    assertThat(promoted.status()).as(promoted.toString()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("succeeded") && templates().equals(Set.of(v2))
        && cluster.instances().size() == 3);
    assertThat(reasons()).contains("RolloutPromoted");

    ApiClient.Response again = api.post(SERVICE + "/rollout/promote", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorMessage()).isEqualTo("nothing to promote: service default/web has no rollout in progress");
  }

  @Test
  void aNewApplySupersedesARolloutInProgressAndRollsBackToTheLastThatSucceeded() {
    String update = "{strategy: canary, canaries: 1, minHealthyTime: 0s, healthyDeadline: 20s}";
    applySettled(stack(V1, update), "succeeded");
    String v1 = rollout().path("template").asText();
    applySettled(stack(V2, update), "paused");

    cluster.apply(stack(BROKEN, update));
    await().atMost(Duration.ofSeconds(30)).until(() -> rollout().path("history").findValuesAsText("phase")
        .containsAll(List.of("superseded", "rolled-back")));
    await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("succeeded") && templates().equals(Set.of(v1))
        && cluster.instances().size() == 3);
    assertThat(rollout().path("template").asText()).as("back to v1, not to the superseded v2").isEqualTo(v1);
    assertThat(rollout().path("history").findValuesAsText("phase"))
        .containsExactly("succeeded", "superseded", "rolled-back", "succeeded");
  }

  @Test
  void stopFirstNeverRunsMoreThanTheReplicas() {
    String update = "{maxSurge: 0, parallelism: 2, minHealthyTime: 0s, healthyDeadline: 20s}";
    applySettled(stack(V1, update), "succeeded");
    await().until(() -> cluster.instances().size() == 3);
    peak.set(0);
    applySettled(stack(V2, update), "succeeded");
    String v2 = rollout().path("template").asText();
    await().until(() -> templates().equals(Set.of(v2)) && cluster.instances().size() == 3);
    assertThat(peak.get()).as("stop-first: never more than replicas").isLessThanOrEqualTo(3);
  }

  @Test
  void otherStatusWritersKeepTheRolloutState() {
    // The dependency gate writes its DependenciesMet condition into the same status.
    cluster.apply("""
        stack: shop
        namespace: default
        services:
          db:
            replicas: 1
            command: ["/bin/sleep", "1000"]
          web:
            replicas: 3
            command: %s
            update: %s
            dependsOn: [db]
        """.formatted(V1, FAST));
    await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("succeeded"));
    assertThat(cluster.condition("web", "DependenciesMet").path("status").asBoolean()).isTrue();
    assertThat(reasons().stream().filter("RolloutStarted"::equals)).as("one rollout, started once").hasSize(1);
    assertThat(rollout().path("history").findValuesAsText("phase")).containsExactly("succeeded");
  }

  @Test
  void autoPromoteGoesOnWithoutAnOperator() {
    String update = "{strategy: canary, canaries: 1, autoPromote: true, minHealthyTime: 0s, healthyDeadline: 20s}";
    applySettled(stack(V1, update), "succeeded");
    applySettled(stack(V2, update), "succeeded");
    assertThat(reasons()).contains("RolloutPromoted").doesNotContain("RolloutPaused");
  }

  @Test
  void restartReplacesEveryInstance() {
    applySettled(stack(V1, FAST), "succeeded");
    await().until(() -> cluster.instances().size() == 3);
    Set<String> before = new HashSet<>();
    cluster.instances().forEach(i -> before.add(i.path("metadata").path("name").asText()));
    String template = rollout().path("template").asText();

    ApiClient.Response r = api.post(SERVICE + "/rollout/restart", "");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.json().path("restartedAt").asText()).isNotEmpty();
    assertThat(r.json().path("template").asText()).isNotEqualTo(template);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode v = rollout();
      return v.path("rollout").path("hash").asText().equals(v.path("template").asText())
          && v.path("rollout").path("phase").asText().equals("succeeded") && cluster.instances().size() == 3;
    });
    Set<String> after = new HashSet<>();
    cluster.instances().forEach(i -> after.add(i.path("metadata").path("name").asText()));
    assertThat(after).doesNotContainAnyElementsOf(before);
  }

  @Test
  void undoWritesTheEarlierTemplateBack() {
    applySettled(stack(V1, FAST), "succeeded");
    String v1 = rollout().path("template").asText();
    long v1Revision = rollout().path("rollout").path("revision").asLong();
    applySettled(stack(V2, FAST), "succeeded");

    ApiClient.Response r = api.post(SERVICE + "/rollout/undo?to=" + v1Revision, "");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.json().path("template").asText()).isEqualTo(v1);
    await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("succeeded")
        && rollout().path("rollout").path("hash").asText().equals(v1) && templates().equals(Set.of(v1)));
    assertThat(reasons()).contains("RolloutUndone");
  }

  @Test
  void badRolloutRequestsGetExactErrors() {
    ApiClient.Response missing = api.get("/v1/namespaces/default/services/nope/rollout");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorMessage()).isEqualTo("Service \"default/nope\" not found");
    assertThat(api.post("/v1/namespaces/default/services/nope/rollout/promote", "").status()).isEqualTo(404);

    applySettled(stack(V1, FAST), "succeeded");
    long revision = rollout().path("rollout").path("revision").asLong();
    ApiClient.Response word = api.post(SERVICE + "/rollout/undo?to=abc", "");
    assertThat(word.status()).isEqualTo(400);
    assertThat(word.errorMessage()).isEqualTo("query parameter \"to\": must be a positive revision number, got \"abc\"");
    ApiClient.Response unknown = api.post(SERVICE + "/rollout/undo?to=99999", "");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.errorMessage()).isEqualTo("query parameter \"to\": no rollout of revision 99999 in the history"
        + " of service default/web (revisions: " + revision + ")");
    ApiClient.Response nothing = api.post(SERVICE + "/rollout/undo", "");
    assertThat(nothing.status()).isEqualTo(409);
    assertThat(nothing.errorMessage()).isEqualTo("nothing to undo: service default/web has no earlier template to go back to");
    ApiClient.Response noCanary = api.post(SERVICE + "/rollout/promote", "");
    assertThat(noCanary.status()).isEqualTo(409);
    assertThat(noCanary.errorMessage()).isEqualTo("nothing to promote: service default/web has no rollout in progress");
  }
}
