package io.wharf.bench.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.AgentSettings;
import io.wharf.agent.NodeAgent;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import io.wharf.gateway.Gateway;
import io.wharf.gateway.GatewaySettings;
import io.wharf.gateway.WatchedEndpoints;
import io.wharf.gateway.routing.ActiveRoute;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readiness change to gateway routing: a control plane on an embedded store, a node agent running
 * {@code replicas} real HTTP servers (python3, each answering its instance name) whose readiness
 * checks (every 300 ms) are steered by files, and a {@link Gateway} fed by the API watch, in this
 * JVM. Each step turns one instance unready (or ready again) and polls the gateway's route table
 * every millisecond until the route's endpoint count changes: a request reads the table once at
 * its start, so from then on every request is routed by the new set. Then, through the gateway
 * over HTTP: an instance turned ready must answer within 4 × replicas requests (round robin), one
 * turned unready must answer none of 2 × replicas; misses are counted and printed.
 *
 * <p>Timed like {@code DnsReadinessBench}: "propagation" from the instance's health change in the
 * store (seen on a watch of our own, a peer of the gateway's) to the table change; "end to end"
 * from the file flip, adding the check interval, the agent's status batching and the write; for
 * instances turned ready, "first answer" from the flip to the first response that instance gave
 * through the gateway. Prints p50/p90/p99/max.
 *
 * <p>Arguments: [steps (60)] [replicas (10)].
 */
public final class GatewayReadinessBench {

  private GatewayReadinessBench() {}

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int replicas = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path dir = Files.createTempDirectory("wharf-bench-gw-ready");
    Path flags = Files.createDirectories(dir.resolve("flags"));
    String marker = "wharf-bench-gw-" + System.nanoTime();
    Map<String, Long> healthSeen = new ConcurrentHashMap<>();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"));
        ControlPlane server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
        WharfClient client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        NodeAgent agent = NodeAgent.start((AgentSettings.of(server.apiAddress(), "bench", dir.resolve("agent"))
            .stoppingWorkloadsOnClose()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        WharfClient gatewayClient = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        Gateway gateway = Gateway.start(GatewaySettings.listen("127.0.0.1", 0, "127.0.0.1", -1),
            new WatchedEndpoints(gatewayClient));
        WatchStream ignored = client.watch(WatchRequest.of("instances"), new WatchListener() {
          @Override
          public void onEvent(WatchEvent event) {
            String name = event.object().path("metadata").path("name").asText();
            healthSeen.put(name + "/" + event.object().path("status").path("health").asText(), System.nanoTime());
          }
        })) {
      client.apply("""
          stack: bench
          namespace: default
          services:
            web:
              replicas: %d
              driver: process
              command: [python3, -c, "%s", "%s"]
              ports:
                - {name: http, port: 0}
              health:
                readiness:
                  command: [sh, -c, "test ! -e %s/unready-$WHARF_INSTANCE_NAME"]
                  interval: 300ms
                  timeout: 300ms
                  failureThreshold: 1
          routes:
            web:
              path: /
              service: web
              port: http
          """.formatted(replicas, NAME_SERVER, marker, flags), WharfClient.YAML, OptionalLong.empty());
      URI url = URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/");
      // Instances whose port was taken on this busy machine fail; the others are the sample.
      List<String> names = new ArrayList<>();
      long settle = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      int stablePolls = 0;
      int lastCount = -1;
      while (true) {
        names.clear();
        for (JsonNode i : client.listAll("instances", ListOptions.ALL)) {
          if (i.path("status").path("health").asText().equals("healthy")) {
            names.add(i.path("metadata").path("name").asText());
          }
        }
        boolean agreed = !names.isEmpty() && endpoints(gateway) == names.size();
        stablePolls = agreed && names.size() == lastCount ? stablePolls + 1 : 0;
        lastCount = names.size();
        // all replicas up, or (some failed to start) the same count for 5 s
        if (agreed && (names.size() == replicas || stablePolls >= 25) && answer(http, url) != null) {
          break;
        }
        if (System.nanoTime() > settle) {
          throw new IllegalStateException("instances did not settle: " + names.size() + " healthy, gateway has "
              + endpoints(gateway));
        }
        Thread.sleep(200);
      }
      replicas = names.size();
      System.out.printf(Locale.ROOT, "gateway readiness benchmark: %d instances ready, %d steps%n", replicas, steps);
      List<Double> propagation = new ArrayList<>();
      List<Double> endToEnd = new ArrayList<>();
      List<Double> firstAnswer = new ArrayList<>();
      int misses = 0;
      Random random = new Random(1);
      int ready = replicas;
      for (int step = 0; step < steps; step++) {
        String name = names.get(random.nextInt(names.size()));
        Path flag = flags.resolve("unready-" + name);
        boolean turnUnready = !Files.exists(flag);
        String health = turnUnready ? "unhealthy" : "healthy";
        healthSeen.remove(name + "/" + health);
        long flipped = System.nanoTime();
        if (turnUnready) {
          Files.createFile(flag);
          ready--;
        } else {
          Files.delete(flag);
          ready++;
        }
        long routed = waitForEndpoints(gateway, ready, Duration.ofSeconds(30));
        Long stored = healthSeen.get(name + "/" + health);
        endToEnd.add((routed - flipped) / 1e6);
        if (stored != null) {
          propagation.add(Math.max(0, routed - stored) / 1e6);
        }
        if (turnUnready) {
          for (int i = 0; i < 2 * replicas; i++) {
            if (name.equals(answer(http, url))) {
              misses++; // routed to an instance the table no longer holds
            }
          }
        } else {
          boolean seen = false;
          for (int i = 0; i < 4 * replicas && !seen; i++) {
            seen = name.equals(answer(http, url));
          }
          if (seen) {
            firstAnswer.add((System.nanoTime() - flipped) / 1e6);
          } else {
            misses++;
          }
        }
      }
      report("propagation (store -> gateway table)", propagation);
      report("end to end (check flips -> gateway table)", endToEnd);
      report("turned ready: flip -> first answer", firstAnswer);
      System.out.printf(Locale.ROOT, "routing misses through the gateway: %d of %d steps%n", misses, steps);
    } finally {
      http.shutdownNow();
      io.wharf.testkit.proc.MarkedProcesses.pids(marker)
          .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  /** A one-line HTTP server answering its instance name on $PORT; argv[1] marks the process for cleanup. */
  private static final String NAME_SERVER = "import http.server,os\\n"
      + "n=os.environ['WHARF_INSTANCE_NAME'].encode()\\n"
      + "class H(http.server.BaseHTTPRequestHandler):\\n"
      + " def do_GET(s):\\n"
      + "  s.send_response(200);s.send_header('Content-Length',str(len(n)));s.end_headers();s.wfile.write(n)\\n"
      + " def log_message(s,*a): pass\\n"
      + "http.server.ThreadingHTTPServer(('127.0.0.1',int(os.environ['PORT'])),H).serve_forever()";

  private static int endpoints(Gateway gateway) {
    List<ActiveRoute> routes = gateway.table().routes();
    return routes.isEmpty() ? -1 : routes.getFirst().endpointCount();
  }

  /** The instance that answered a GET through the gateway, or null for a non-200 answer. */
  private static String answer(HttpClient http, URI url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? r.body() : null;
  }

  /** Polls the route table every millisecond until the route has {@code expected} endpoints; returns when. */
  private static long waitForEndpoints(Gateway gateway, int expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (endpoints(gateway) == expected) {
        return System.nanoTime();
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("the gateway did not route to " + expected + " endpoints within " + timeout
        + " (last: " + endpoints(gateway) + ")");
  }

  private static void report(String what, List<Double> millis) {
    if (millis.isEmpty()) {
      System.out.println(what + ": no samples");
      return;
    }
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.printf(Locale.ROOT, "%-42s n=%d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n", what,
        sorted.size(), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.getLast());
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
