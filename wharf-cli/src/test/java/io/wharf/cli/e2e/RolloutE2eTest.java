package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.RolloutApi;
import io.wharf.client.WharfClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The must-show, with real processes: {@code wharf dev} (server and agent) runs v1 of a
 * service, {@code busybox httpd} instances with an HTTP readiness check; {@code wharf apply
 * --wait} of a v2 whose processes exit at once rolls back to v1 automatically and exits 6, and
 * v1's processes are serving again afterwards.
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
          ports: [{name: http, port: 0}]
          health: {path: /, interval: 500ms, timeout: 400ms, failureThreshold: 1}
          update: {maxSurge: 1, parallelism: 1, minHealthyTime: 1s, healthyDeadline: 15s, progressDeadline: 60s}
      """;

  @TempDir
  Path dir;

  @Test
  void aBrokenVersionRollsBackAutomaticallyAndApplyWaitExitsNonZero() throws Exception {
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("index.html"), "v1\n");
    Path work = Files.createDirectories(dir.resolve("work"));
    String v1 = "[sh, -c, 'exec busybox httpd -f -p 127.0.0.1:$WHARF_PORT_HTTP -h " + www + "']";
    String v2 = "[sh, -c, 'echo v2 cannot start >&2; exit 3']";
    Files.writeString(work.resolve("v1.yaml"), STACK.formatted(v1));
    Files.writeString(work.resolve("v2.yaml"), STACK.formatted(v2));

    try (DevServerProcess dev = DevServerProcess.start(dir.resolve("data"));
        WharfClient api = new WharfClient(ClientSettings.of(dev.address()))) {
      CliProcess wharf = new CliProcess(dev.address(), work);

      CliProcess.Result first = wharf.run("apply", "-f", "v1.yaml", "--yes", "--wait", "--timeout", "90s");
      assertThat(first.exitCode()).as(first.toString()).isZero();
      assertThat(first.out()).contains("default/web: succeeded").endsWith("rollout complete\n");
      String v1Template = new RolloutApi(api).status("default", "web").path("template").asText();
      assertServing(api, v1Template);

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
          .contains("busybox httpd").doesNotContain("cannot start");
      assertServing(api, v1Template);

      CliProcess.Result history = wharf.run("rollout", "history", "web");
      assertThat(history.exitCode()).as(history.toString()).isZero();
      assertThat(history.out()).contains("rolled-back");
    }
  }

  /** Every instance runs {@code template}, and each answers HTTP on its port with v1's page. */
  private static void assertServing(WharfClient api, String template) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      List<JsonNode> instances = api.listAll("instances", ListOptions.inNamespace("default"));
      assertThat(instances).hasSize(2);
      for (JsonNode i : instances) {
        assertThat(i.path("metadata").path("labels").path("wharf.io/template").asText()).isEqualTo(template);
        int port = i.path("spec").path("assignedPorts").path("http").asInt();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).isEqualTo("v1\n");
      }
    });
  }
}
