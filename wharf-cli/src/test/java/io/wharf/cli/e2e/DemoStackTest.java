package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: {@code wharf dev --stack examples/demo.yaml} run from the
 * repository, as a process. The frontend it prints is reachable and shows the greeter's answer,
 * so two services started by the agent call each other over HTTP.
 */
class DemoStackTest {

  @TempDir
  Path dir;

  @Test
  void devWithTheDemoStackServesTheFrontendWhichCallsTheGreeter() throws Exception {
    Path repository = Path.of("").toAbsolutePath().getParent();
    assertThat(repository.resolve("examples/demo.yaml")).exists();
    try (var dev = DevServerProcess.in(repository, "dev", "--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--stack", "examples/demo.yaml")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> dev.output().contains("Reach frontend: "));
      Matcher url = Pattern.compile("Reach frontend: (\\S+)").matcher(dev.output());
      assertThat(url.find()).isTrue();

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url.group(1)))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("The greeter says: <b>Hello, visitor! (from greeter-");
      });
      // the demo's route: the gateway spreads /greet over both greeters
      Matcher gateway = Pattern.compile("Gateway: (\\S+)").matcher(dev.output());
      assertThat(gateway.find()).isTrue();
      java.util.Set<String> greeters = new java.util.HashSet<>();
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(gateway.group(1) + "/greet?name=you"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        Matcher from = Pattern.compile("^Hello, you! \\(from (greeter-\\S+), request").matcher(answer.body());
        assertThat(from.find()).as(answer.body()).isTrue();
        greeters.add(from.group(1));
        assertThat(greeters).hasSize(2);
      });
      assertThat(dev.stop()).as("clean shutdown on SIGTERM").isIn(0, 143);
    }
    // The workloads of dev mode end with it.
    await().atMost(Duration.ofSeconds(30)).until(() -> !listening(18080) && !listening(18081));
    assertThat(Files.exists(dir.resolve("data"))).isTrue();
  }

  private static boolean listening(int port) {
    try (var socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
