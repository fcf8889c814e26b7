package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.testkit.net.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf dev} with its built-in gateway, as real processes: a route split over two
 * services of one greeter process each. Traffic through the gateway reaches both; when one greeter
 * process is killed (SIGKILL) mid-load, retries and readiness keep every request succeeding.
 */
class GatewayDevTest {

  @TempDir
  Path dir;

  @Test
  void gatewayRoutesToReadyInstancesAndSurvivesTheLossOfOne() throws Exception {
    Path repository = Path.of("").toAbsolutePath().getParent();
    Path greeter = repository.resolve("examples/demo/Greeter.java");
    assertThat(greeter).exists();
    Path stack = dir.resolve("stack.yaml");
    // Two services on fixed free ports (dynamic ports may collide with other programs on a busy
    // machine), one route splitting traffic between them.
    List<Integer> ports = LoopbackPorts.free(2);
    Files.writeString(stack, """
        stack: gw
        services:
          greeter-a:
            driver: process
            command: [java, %1$s]
            ports:
              - {name: http, port: %2$d}
            health:
              readiness: {type: http, path: /healthz, interval: 1s, timeout: 1s}
          greeter-b:
            driver: process
            command: [java, %1$s]
            ports:
              - {name: http, port: %3$d}
            health:
              readiness: {type: http, path: /healthz, interval: 1s, timeout: 1s}
        routes:
          hello:
            path: /
            backends:
              - {service: greeter-a, port: http}
              - {service: greeter-b, port: http}
            retries: 2
        """.formatted(greeter, ports.get(0), ports.get(1)));
    int gatewayPort = LoopbackPorts.free();
    try (var dev = DevServerProcess.command("dev", "--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--gateway", "127.0.0.1:" + gatewayPort, "--stack", stack.toString())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> dev.output().contains("Gateway: "));
      Matcher m = Pattern.compile("Gateway: (\\S+)").matcher(dev.output());
      assertThat(m.find()).isTrue();
      URI hello = URI.create(m.group(1) + "/greet?name=gw");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      Set<String> instances = ConcurrentHashMap.newKeySet();
      Pattern from = Pattern.compile("\\(from (\\S+),");
      java.util.concurrent.atomic.AtomicReference<Object> last = new java.util.concurrent.atomic.AtomicReference<>();
      try {
        await().atMost(Duration.ofSeconds(120)).until(() -> {
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(hello).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
            last.set(r.statusCode() + " " + r.body());
            Matcher f = from.matcher(r.body());
            if (r.statusCode() == 200 && f.find()) {
              instances.add(f.group(1));
            }
          } catch (java.io.IOException e) {
            last.set(e);
          }
          return instances.size() == 2;
        });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("greeters seen " + instances + ", last answer " + last.get() + "\n" + dev.output(), e);
      }

      ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
      AtomicBoolean running = new AtomicBoolean(true);
      try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> workers = new java.util.ArrayList<>();
        for (int w = 0; w < 3; w++) {
          workers.add(load.submit(() -> {
            while (running.get()) {
              statuses.add(http.send(HttpRequest.newBuilder(hello).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            return null;
          }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.size() >= 50);
        ProcessHandle victim = dev.handle().descendants()
            .filter(p -> p.info().command().orElse("").endsWith("/java")
                && p.info().commandLine().orElse("").contains("Greeter.java"))
            .findFirst().orElseThrow();
        victim.destroyForcibly();
        victim.onExit().get(30, TimeUnit.SECONDS);
        int atKill = statuses.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.size() >= atKill + 200);
        running.set(false);
        for (Future<?> f : workers) {
          f.get(30, TimeUnit.SECONDS);
        }
      }
      assertThat(statuses).as("every request through the gateway succeeded").containsOnly(200);
      assertThat(dev.stop()).as("clean shutdown on SIGTERM").isIn(0, 143);
    }
  }
  /**
   * A route with {@code auth: jwt} and no key of its own takes the tokens this cluster signs: a
   * service reaches it with its own workload identity (the token file the agent keeps for it),
   * anyone without a token, or with a token not signed by the cluster, is refused.
   */
  @Test
  void aServiceReachesAProtectedRouteWithItsWorkloadIdentity() throws Exception {
    Path repository = Path.of("").toAbsolutePath().getParent();
    Path greeter = repository.resolve("examples/demo/Greeter.java");
    Path token = dir.resolve("caller-token");
    Path stack = dir.resolve("stack.yaml");
    int port = LoopbackPorts.free();
    Files.writeString(stack, """
        stack: gw
        services:
          greeter:
            driver: process
            command: [java, %1$s]
            ports:
              - {name: http, port: %2$d}
            health:
              readiness: {type: http, path: /healthz, interval: 1s, timeout: 1s}
          caller:
            driver: process
            command: [sh, -c, 'cat "$WHARF_TOKEN_FILE" > %3$s.tmp && mv %3$s.tmp %3$s && exec sleep 1000']
        routes:
          hello:
            path: /
            backends:
              - {service: greeter, port: http}
            auth: jwt
        """.formatted(greeter, port, token));
    int gatewayPort = LoopbackPorts.free();
    try (var dev = DevServerProcess.command("dev", "--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--gateway", "127.0.0.1:" + gatewayPort, "--stack", stack.toString())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(token));
      String workload = Files.readString(token).strip();
      String[] parts = workload.split("\\.");
      assertThat(parts).hasSize(3);
      assertThat(new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8))
          .contains("\"sub\":\"service:default/caller\"");
      URI hello = URI.create("http://127.0.0.1:" + gatewayPort + "/greet?name=me");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      java.util.function.Function<String, HttpResponse<String>> call = bearer -> {
        HttpRequest.Builder b = HttpRequest.newBuilder(hello).timeout(Duration.ofSeconds(5));
        if (bearer != null) {
          b.header("Authorization", "Bearer " + bearer);
        }
        try {
          return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      };
      java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>();
      try {
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
          HttpResponse<String> r = call.apply(workload);
          last.set(r.statusCode() + " " + r.body());
          return r.statusCode() == 200;
        });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("last answer " + last.get() + "\n" + dev.output(), e);
      }
      assertThat(call.apply(workload).body()).contains("me");
      assertThat(call.apply(null).statusCode()).isEqualTo(401);
      HttpResponse<String> forged = call.apply(parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10)
          + (parts[2].charAt(10) == 'A' ? 'B' : 'A') + parts[2].substring(11));
      assertThat(forged.statusCode()).isEqualTo(401);
      assertThat(dev.stop()).as("clean shutdown on SIGTERM").isIn(0, 143);
    }
  }
}
