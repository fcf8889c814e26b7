package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.RolloutApi;
import io.wharf.client.WharfClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The must-show, with real processes: {@code wharf dev} (server and agent) runs v1 of a
 * service, shell processes with a command readiness check (a file v1 writes when it starts; no
 * ports, so nothing else on the machine can take them); {@code wharf apply --wait} of a v2 whose
 * processes exit at once rolls back to v1 automatically and exits 6, and v1's processes run and
 * are ready again afterwards.
 */
class RolloutE2eTest {
  static final String STACK = """
      stack: shop
      namespace: default
      services:
        web:
          replicas: 2
          driver: process
          command: %s
          health: {type: command, command: [test, -f, %s], interval: 500ms, timeout: 400ms, failureThreshold: 1}
          update: {maxSurge: 1, parallelism: 1, minHealthyTime: 1s, healthyDeadline: 15s, progressDeadline: 60s}
      """;

  @TempDir
  Path dir;

  @Test
  void aBrokenVersionRollsBackAutomaticallyAndApplyWaitExitsNonZero() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path ready = dir.resolve("v1-started");
    String v1 = "[sh, -c, 'touch " + ready + "; exec sleep 1000']";
    String v2 = "[sh, -c, 'echo v2 cannot start >&2; exit 3']";
    Files.writeString(work.resolve("v1.yaml"), STACK.formatted(v1, ready));
    Files.writeString(work.resolve("v2.yaml"), STACK.formatted(v2, dir.resolve("v2-started")));

    try (DevServerProcess dev = DevServerProcess.start(dir.resolve("data"));
        WharfClient api = new WharfClient(ClientSettings.of(dev.address()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
      CliProcess wharf = new CliProcess(dev.address(), work);

      CliProcess.Result first = wharf.run("apply", "-f", "v1.yaml", "--yes", "--wait", "--timeout", "90s");
      assertThat(first.exitCode()).as(() -> first + "\ninstances: "
          + api.listAll("instances", ListOptions.inNamespace("default")) + "\nserver: " + dev.output()).isZero();
      assertThat(first.out()).contains("default/web: succeeded").endsWith("rollout complete\n");
      String v1Template = new RolloutApi(api).status("default", "web").path("template").asText();
      assertRunningAndReady(api, v1Template);

      CliProcess.Result broken = wharf.run("apply", "-f", "v2.yaml", "--yes", "--wait", "--timeout", "90s");
      assertThat(broken.exitCode()).as(broken.toString()).isEqualTo(6);
      assertThat(broken.out()).containsPattern("rollout default/web: rolled back: instance web-[a-z0-9]{8} ");
      assertThat(broken.out()).doesNotContain("\u001b[");

      // The spec is v1's again, and v1's processes serve once the rollback has rolled out.
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        JsonNode view = new RolloutApi(api).status("default", "web");
        return view.path("template").asText().equals(v1Template)
            && view.path("rollout").path("phase").asText().equals("succeeded");
      });
      assertThat(api.get("services", "default", "web").path("spec").path("tasks").toString())
          .contains("exec sleep 1000").doesNotContain("cannot start");
      assertRunningAndReady(api, v1Template);

      CliProcess.Result history = wharf.run("rollout", "history", "web");
      assertThat(history.exitCode()).as(history.toString()).isZero();
      assertThat(history.out()).contains("rolled-back");
    }
  }

  /** Exactly two instances, both of {@code template}, running and passing their readiness check (as the agent reports). */
  private static void assertRunningAndReady(WharfClient api, String template) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      List<JsonNode> instances = api.listAll("instances", ListOptions.inNamespace("default"));
      assertThat(instances).hasSize(2);
      for (JsonNode i : instances) {
        assertThat(i.path("metadata").path("labels").path("wharf.io/template").asText()).isEqualTo(template);
        assertThat(i.path("status").path("state").asText()).isEqualTo("running");
        assertThat(i.path("status").path("health").asText()).isEqualTo("healthy");
      }
    });
  }
}
