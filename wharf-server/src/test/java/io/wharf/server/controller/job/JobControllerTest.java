package io.wharf.server.controller.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.FakeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job controller end to end: a real control plane with controllers on a real embedded store;
 * the test plays the agent of one node, reporting how each instance ended.
 */
class JobControllerTest {
  @TempDir Path dir;
  FakeCluster cluster;
  ApiClient api;

  @BeforeEach
  void start() {
    cluster = new FakeCluster(dir, Duration.ofSeconds(15));
    api = cluster.api;
    cluster.join("n1");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  static String stack(String fields) {
    return """
        stack: batch
        namespace: default
        jobs:
          report:
            command: ["/bin/sh", "-c", "exit 0"]
            ports:
              - {name: http, port: 18080}
            restart: {delay: 300ms, multiplier: 2, maxDelay: 2s}
        %s
        """.formatted(fields.indent(4).stripTrailing());
  }

  JsonNode job() {
    return api.get("/v1/namespaces/default/jobs/report").json();
  }

  List<JsonNode> instances(String state) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode i : cluster.instances()) {
      if (state == null || i.path("status").path("state").asText().equals(state)) {
        out.add(i);
      }
    }
    return out;
  }

  /** Reports the instance ended as an agent would: completed (exit 0) or failed with the code. */
  void end(JsonNode instance, int exitCode) {
    String name = instance.path("metadata").path("name").asText();
    ApiClient.Response r = api.post("/v1/instances/status", """
        {"items": [{"namespace": "default", "name": "%s", "status": {"state": "%s", "exitCode": %d,
          "exitReason": "exited with code %d", "finishedAt": "%s"}}]}""".formatted(name,
        exitCode == 0 ? "completed" : "failed", exitCode, exitCode, Instant.now()));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  List<String> reasons() {
    return api.get("/v1/events?involved=Job/report").json().path("items").findValuesAsText("reason");
  }

  @Test
  void completionsRunAtMostParallelismAtOnceAndAnEndedInstanceFreesItsFixedPort() {
    cluster.apply(stack("completions: 3\nparallelism: 2"));

    // One node and a fixed host port: only one instance fits at a time, parallelism 2 or not.
    await().until(() -> instances(null).size() == 1);
    JsonNode first = instances(null).getFirst();
    assertThat(first.path("metadata").path("labels").path("wharf.io/job").asText()).isEqualTo("report");
    assertThat(first.path("metadata").path("labels").path("wharf.io/run").asText()).isEqualTo("1");
    assertThat(first.path("metadata").path("labels").path("wharf.io/stack").asText()).isEqualTo("batch");
    assertThat(first.path("spec").path("restart").path("policy").asText()).isEqualTo("never");
    assertThat(first.path("spec").path("owner").path("kind").asText()).isEqualTo("Job");
    await().until(() -> reasons().contains("PlacementFailed"));
    assertThat(job().path("status").path("active").asInt()).isEqualTo(1);

    end(first, 0);
    await().until(() -> instances("pending").size() == 1);
    end(instances("pending").getFirst(), 0);
    await().until(() -> instances("pending").size() == 1);
    end(instances("pending").getFirst(), 0);

    await().until(() -> job().path("status").path("phase").asText().equals("succeeded"));
    JsonNode status = job().path("status");
    assertThat(status.path("succeeded").asInt()).isEqualTo(3);
    assertThat(status.path("failed").asInt()).isZero();
    assertThat(status.path("run").asInt()).isEqualTo(1);
    assertThat(status.path("attempts").findValuesAsText("exitCode")).containsExactly("0", "0", "0");
    assertThat(status.path("completedAt").asText()).isNotEmpty();
    assertThat(instances("completed")).as("finished runs are kept for the TTL").hasSize(3);
    assertThat(reasons()).contains("JobStarted", "JobSucceeded");
  }

  @Test
  void failedAttemptsAreRetriedAfterAGrowingBackoffUntilTheBackoffLimitAndTheirExitCodesAreKept() {
    cluster.apply(stack("backoffLimit: 2"));

    List<Instant> failedAt = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      int done = attempt;
      await().until(() -> instances("pending").size() == 1 && instances(null).size() == done + 1);
      JsonNode pending = instances("pending").getFirst();
      if (attempt > 0) {
        Instant created = Instant.parse(pending.path("metadata").path("createdAt").asText());
        Duration backoff = Duration.ofMillis(300L << (attempt - 1));
        assertThat(created).as("attempt %d starts after the %s backoff", attempt + 1, backoff)
            .isAfterOrEqualTo(failedAt.getLast().plus(backoff));
      }
      failedAt.add(Instant.now());
      end(pending, 3 + attempt);
    }

    await().until(() -> job().path("status").path("phase").asText().equals("failed"));
    JsonNode status = job().path("status");
    assertThat(status.path("failed").asInt()).isEqualTo(3);
    assertThat(status.path("attempts").findValuesAsText("exitCode")).containsExactly("3", "4", "5");
    JsonNode failed = status.path("conditions").get(0);
    assertThat(failed.path("type").asText()).isEqualTo("Failed");
    assertThat(failed.path("reason").asText()).isEqualTo("BackoffLimitExceeded");
    assertThat(failed.path("message").asText())
        .isEqualTo("3 attempts failed, more than backoffLimit 2; the last exited with code 5");
    assertThat(reasons()).contains("JobFailed");
    assertThat(instances("failed")).hasSize(3);
  }

  @Test
  void theActiveDeadlineFailsTheJobAndStopsItsRunningInstance() {
    cluster.apply(stack("activeDeadline: 1s"));
    await().until(() -> instances(null).size() == 1);
    cluster.runAll();

    await().until(() -> job().path("status").path("phase").asText().equals("failed"));
    assertThat(job().path("status").path("conditions").get(0).path("reason").asText()).isEqualTo("DeadlineExceeded");
    await().until(() -> instances(null).isEmpty());
    assertThat(reasons()).contains("JobFailed", "InstancesRemoved");
  }

  @Test
  void aFinishedJobIsDeletedWithItsInstancesOnceItsTtlPassed() {
    cluster.apply(stack("ttlAfterFinished: 1s"));
    await().until(() -> instances(null).size() == 1);
    end(instances(null).getFirst(), 0);

    await().until(() -> api.get("/v1/namespaces/default/jobs/report").status() == 404);
    assertThat(instances(null)).isEmpty();
    assertThat(reasons()).contains("JobSucceeded", "Expired");
  }

  @Test
  void aJobCreatedThroughTheApiRunsWithItsTaskEnvAsGiven() {
    ApiClient.Response r = api.send("/v1/namespaces/default/jobs", "POST", "application/yaml", """
        kind: Job
        metadata: {name: slot-1, labels: {wharf.io/cronjob: nightly, wharf.io/slot: "20261201T0230Z"}}
        spec:
          tasks:
            - name: main
              driver: process
              command: ["/bin/true"]
              env: {WHARF_RUN_ID: "nightly/2026-12-01T02:30:00Z/7"}
        """);
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
    await().until(() -> instances(null).size() == 1);
    JsonNode i = instances(null).getFirst();
    assertThat(i.path("metadata").path("labels").path("wharf.io/job").asText()).isEqualTo("slot-1");
    assertThat(i.path("metadata").path("labels").path("wharf.io/cronjob").asText()).isEqualTo("nightly");
    assertThat(i.path("spec").path("tasks").get(0).path("env").path("WHARF_RUN_ID").asText())
        .isEqualTo("nightly/2026-12-01T02:30:00Z/7");
  }

  @Test
  void runRequestsStartANewRunAndAreRefusedWhileOneIsActiveUnlessRestart() {
    cluster.apply(stack(""));
    await().until(() -> instances(null).size() == 1);
    String firstName = instances(null).getFirst().path("metadata").path("name").asText();

    ApiClient.Response busy = api.post("/v1/namespaces/default/jobs/report/run", "");
    assertThat(busy.status()).as(busy.toString()).isEqualTo(409);
    assertThat(busy.errorMessage())
        .isEqualTo("Job \"default/report\": run 1 is running; pass restart=true to stop it and start a new run");

    ApiClient.Response restarted = api.post("/v1/namespaces/default/jobs/report/run?restart=true", "");
    assertThat(restarted.status()).as(restarted.toString()).isEqualTo(202);
    assertThat(restarted.json().path("run").asInt()).isEqualTo(2);
    await().until(() -> job().path("status").path("run").asInt() == 2 && instances(null).size() == 1
        && !instances(null).getFirst().path("metadata").path("name").asText().equals(firstName));
    JsonNode second = instances(null).getFirst();
    assertThat(second.path("metadata").path("labels").path("wharf.io/run").asText()).isEqualTo("2");
    end(second, 0);
    await().until(() -> job().path("status").path("phase").asText().equals("succeeded"));

    ApiClient.Response again = api.post("/v1/namespaces/default/jobs/report/run", "");
    assertThat(again.status()).as(again.toString()).isEqualTo(202);
    assertThat(again.json().path("run").asInt()).isEqualTo(3);
    await().until(() -> job().path("status").path("run").asInt() == 3
        && job().path("status").path("phase").asText().equals("running")
        && instances(null).size() == 1 && instances(null).getFirst().path("metadata").path("labels")
            .path("wharf.io/run").asText().equals("3"));
    assertThat(job().path("status").path("attempts")).as("a new run starts its attempts afresh").isEmpty();
    assertThat(reasons()).contains("RunRequested");
  }

  @Test
  void runRequestsForUnknownJobsOrWithABadRestartAreRefused() {
    ApiClient.Response missing = api.post("/v1/namespaces/default/jobs/nope/run", "");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorMessage()).isEqualTo("Job \"default/nope\" not found");
    cluster.apply(stack(""));
    ApiClient.Response bad = api.post("/v1/namespaces/default/jobs/report/run?restart=yes", "");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorMessage()).contains("restart").contains("must be true or false, got \"yes\"");
  }

  @Test
  void aJobWaitsForItsDependsOnBeforeItsFirstInstanceStarts() {
    cluster.apply("""
        stack: batch
        namespace: default
        services:
          db:
            command: ["/bin/sleep", "600"]
        jobs:
          seed:
            command: ["/bin/true"]
            dependsOn:
              - {name: db, condition: started, timeout: 10m}
        """);
    await().until(() -> api.get("/v1/namespaces/default/jobs/seed").json().path("status").path("conditions")
        .findValuesAsText("message").contains("waiting for service \"db\" to be started (0 of 1 running)"));
    await().until(() -> instances(null).size() == 1);
    assertThat(instances(null).getFirst().path("metadata").path("labels").path("wharf.io/service").asText())
        .as("only the service's instance: the job waits").isEqualTo("db");

    cluster.runAll();
    await().until(() -> instances(null).stream()
        .anyMatch(i -> i.path("metadata").path("labels").path("wharf.io/job").asText().equals("seed")));
    JsonNode met = api.get("/v1/namespaces/default/jobs/seed").json().path("status").path("conditions");
    assertThat(met.findValuesAsText("type")).contains("DependenciesMet");
    assertThat(met.findValuesAsText("reason")).contains("Met");
  }

  @Test
  void aDependencyNotMetWithinItsTimeoutFailsTheRun() {
    cluster.apply("""
        stack: batch
        namespace: default
        jobs:
          seed:
            command: ["/bin/true"]
            dependsOn:
              - {name: migrate, condition: completed, timeout: 1s}
          migrate:
            command: ["/bin/true"]
            placement:
              constraints: ["node.name == nowhere"]
        """);
    await().until(() -> api.get("/v1/namespaces/default/jobs/seed").json().path("status").path("phase").asText()
        .equals("failed"));
    JsonNode seed = api.get("/v1/namespaces/default/jobs/seed").json();
    assertThat(seed.path("status").path("conditions").findValuesAsText("message")).contains(
        "dependency \"migrate\" not met within 1s (waiting for job \"migrate\" to be completed (it is running))");
    assertThat(instances(null)).isEmpty();
  }
}
