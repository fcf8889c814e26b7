package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.testkit.net.LoopbackPorts;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The must-show of the ambassador: a dependency moves to another port (a new version on a new
 * port replaces the old instance) and the service that depends on it keeps working through the
 * same {@code BACKEND_URL}, without a restart. Real processes: {@code wharf dev} with its agent,
 * busybox httpd as the backend, a bash loop speaking HTTP over /dev/tcp as the client.
 */
class AmbassadorE2eTest {
  @TempDir
  Path dir;

  private static String stack(Path www, int port, Path out) {
    return """
        stack: amb
        namespace: default
        services:
          backend:
            driver: process
            command: [busybox, httpd, -f, -p, "127.0.0.1:%d", -h, "%s"]
            ports: [{name: http, port: %d}]
            health:
              readiness: {type: tcp, port: http, interval: 500ms, timeout: 500ms}
          client:
            driver: process
            command: [bash, -c, 'echo $$ >> %s.starts; echo "$BACKEND_URL" > %s.url; while :; do { exec 3<>"/dev/tcp/$BACKEND_HOST/$BACKEND_PORT" && printf "GET /index.html HTTP/1.0\\r\\n\\r\\n" >&3 && cat <&3 > %s.tmp && mv %s.tmp %s; exec 3<&-; } 2>/dev/null; sleep 0.1; done']
            dependsOn: [backend]
        """.formatted(port, www, port, out, out, out, out, out, out);
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void aDependencyMovesToAnotherPortAndItsDependantKeepsWorkingWithoutRestart() throws Exception {
    List<Integer> ports = LoopbackPorts.free(2);
    Path v1 = Files.createDirectories(dir.resolve("v1"));
    Path v2 = Files.createDirectories(dir.resolve("v2"));
    Files.writeString(v1.resolve("index.html"), "backend v1\n");
    Files.writeString(v2.resolve("index.html"), "backend v2\n");
    Path out = dir.resolve("seen");
    try (DevServerProcess dev = DevServerProcess.start(dir.resolve("data"));
         WharfClient api = new WharfClient(ClientSettings.of(dev.address()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
      api.apply(stack(v1, ports.get(0), out), WharfClient.YAML, java.util.OptionalLong.empty());
      awaitSeen(dev, api, out, "backend v1\n");
      String url = Files.readString(dir.resolve("seen.url")).trim();
      assertThat(url).as("the client reaches the backend through its node's ambassador, not the backend's port")
          .matches("http://127\\.0\\.0\\.1:\\d+").doesNotEndWith(":" + ports.get(0));
      JsonNode client = clientInstance(api);
      // The client's process writes its pid at every start: read from the process, not from the
      // instance's status, which the agent reports a little later.
      List<String> startsBefore = Files.readAllLines(dir.resolve("seen.starts"));

      api.apply(stack(v2, ports.get(1), out), WharfClient.YAML, java.util.OptionalLong.empty());
      awaitSeen(dev, api, out, "backend v2\n");

      // The rollout stops the old instance once the new one is ready; then only v2 answers.
      await().atMost(Duration.ofSeconds(60)).until(() -> !listening(ports.get(0)));
      assertThat(listening(ports.get(1))).isTrue();
      java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(out);
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.getLastModifiedTime(out).compareTo(before) > 0);
      assertThat(Files.readString(out)).as("fetched again after the old instance stopped").endsWith("backend v2\n");
      JsonNode after = clientInstance(api);
      assertThat(after.path("metadata").path("name").asText()).as("the same client instance")
          .isEqualTo(client.path("metadata").path("name").asText());
      assertThat(Files.readAllLines(dir.resolve("seen.starts"))).as("not restarted since the dependency moved")
          .isEqualTo(startsBefore);
      assertThat(Files.readString(dir.resolve("seen.url")).trim()).as("its address did not change").isEqualTo(url);
    }
  }

  /** Waits for the client to have fetched {@code text}; on timeout, says what the cluster looked like. */
  private static void awaitSeen(DevServerProcess dev, WharfClient api, Path out, String text) {
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(out)
          && Files.readString(out).matches("(?s)HTTP/1\\.[01] 200 OK\r\n.*") && Files.readString(out).endsWith("\r\n\r\n" + text));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder state = new StringBuilder();
      api.listAll("instances", io.wharf.client.ListOptions.ALL).forEach(i -> state.append(i.path("metadata")
          .path("name").asText()).append(' ').append(i.path("status")).append('\n'));
      throw new AssertionError("the client never fetched " + text.trim() + "; instances:\n" + state
          + "--- wharf dev output\n" + dev.output(), e);
    }
  }

  private static JsonNode clientInstance(WharfClient api) {
    List<JsonNode> clients = api.listAll("instances", new io.wharf.client.ListOptions("default",
        java.util.Map.of(), 0, null)).stream()
        .filter(i -> i.path("spec").path("owner").path("name").asText().equals("client")).toList();
    assertThat(clients).hasSize(1);
    return clients.get(0);
  }
}
