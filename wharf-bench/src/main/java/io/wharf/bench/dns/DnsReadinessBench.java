package io.wharf.bench.dns;

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
import io.wharf.dns.ClusterDns;
import io.wharf.dns.DnsConfig;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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
 * Readiness change to DNS answer: a control plane on an embedded store, a node agent running
 * {@code replicas} real processes whose readiness checks (every 300 ms) are steered by files, and
 * {@code wharf dns} fed by the API watch. Each step turns one instance unready (or ready again)
 * and times two things: from the instance's health change in the store (seen on a watch of our
 * own, a peer of the DNS feed's) to the SRV answer changing ("propagation": watch, snapshot,
 * encoding, swap), and from the file flip to the answer ("end to end", which adds the check
 * interval and the agent's status batching). Prints p50/p90/p99/max of both.
 *
 * <p>Arguments: [steps (60)] [replicas (10)].
 */
public final class DnsReadinessBench {

  private DnsReadinessBench() {}

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int replicas = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path dir = Files.createTempDirectory("wharf-bench-dns-ready");
    Path flags = Files.createDirectories(dir.resolve("flags"));
    String marker = "wharf-bench-dns-" + System.nanoTime();
    Map<String, Long> healthSeen = new ConcurrentHashMap<>();
    try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"));
        ControlPlane server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
        WharfClient client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        NodeAgent agent = NodeAgent.start((AgentSettings.of(server.apiAddress(), "bench", dir.resolve("agent"))
            .stoppingWorkloadsOnClose()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        ClusterDns dns = ClusterDns.start(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN),
            DnsConfig.defaults().withListen(new InetSocketAddress("127.0.0.1", 0)));
        WatchStream ignored = client.watch(WatchRequest.of("instances"), new WatchListener() {
          @Override
          public void onEvent(WatchEvent event) {
            String name = event.object().path("metadata").path("name").asText();
            healthSeen.put(name + "/" + event.object().path("status").path("health").asText(), System.nanoTime());
          }
        });
        DatagramSocket socket = new DatagramSocket()) {
      client.apply("""
          stack: bench
          namespace: default
          services:
            web:
              replicas: %d
              driver: process
              command: [sh, -c, "while :; do sleep 1; done # %s"]
              ports:
                - {name: http, port: 0}
              health:
                readiness:
                  command: [sh, -c, "test ! -e %s/unready-$WHARF_INSTANCE_NAME"]
                  interval: 300ms
                  timeout: 300ms
                  failureThreshold: 1
          """.formatted(replicas, marker, flags), WharfClient.YAML, OptionalLong.empty());
      socket.connect(dns.server().address());
      socket.setSoTimeout(1000);
      // Instances whose port was taken on this busy machine fail; the others are the sample.
      List<String> names = new ArrayList<>();
      long settle = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        names.clear();
        for (JsonNode i : client.listAll("instances", ListOptions.ALL)) {
          if (i.path("status").path("health").asText().equals("healthy")) {
            names.add(i.path("metadata").path("name").asText());
          }
        }
        if (!names.isEmpty() && answers(socket) == names.size()) {
          break;
        }
        if (System.nanoTime() > settle) {
          throw new IllegalStateException("instances did not settle: " + names.size() + " healthy");
        }
        Thread.sleep(200);
      }
      replicas = names.size();
      System.out.printf(Locale.ROOT, "DNS readiness benchmark: %d instances ready, %d steps%n", replicas, steps);
      List<Double> propagation = new ArrayList<>();
      List<Double> endToEnd = new ArrayList<>();
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
        long answered = waitForAnswers(socket, ready, Duration.ofSeconds(30));
        Long stored = healthSeen.get(name + "/" + health);
        endToEnd.add((answered - flipped) / 1e6);
        if (stored != null) {
          propagation.add(Math.max(0, answered - stored) / 1e6);
        }
      }
      report("propagation (store -> DNS answer)", propagation);
      report("end to end (check flips -> DNS answer)", endToEnd);
    } finally {
      io.wharf.testkit.proc.MarkedProcesses.pids(marker)
          .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  private static int answers(DatagramSocket socket) throws IOException {
    byte[] query = query("_http._tcp.web.default.wharf", 33);
    byte[] buffer = new byte[65535];
    socket.send(new DatagramPacket(query, query.length));
    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
    socket.receive(reply);
    return ((buffer[6] & 0xff) << 8) | (buffer[7] & 0xff);
  }

  /** Polls the SRV name every millisecond until it has {@code expected} answers; returns when. */
  private static long waitForAnswers(DatagramSocket socket, int expected, Duration timeout) throws IOException {
    byte[] query = query("_http._tcp.web.default.wharf", 33);
    byte[] buffer = new byte[65535];
    long deadline = System.nanoTime() + timeout.toNanos();
    int answers = -1;
    while (System.nanoTime() < deadline) {
      socket.send(new DatagramPacket(query, query.length));
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(reply);
      } catch (SocketTimeoutException e) {
        continue;
      }
      answers = ((buffer[6] & 0xff) << 8) | (buffer[7] & 0xff);
      if (answers == expected) {
        return System.nanoTime();
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IllegalStateException("DNS did not show " + expected + " answers within " + timeout
        + " (last: " + answers + ")");
  }

  private static byte[] query(String name, int type) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x42, 0x42, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1});
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(new byte[] {0, 0, (byte) type, 0, 1});
    out.writeBytes(new byte[] {0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0}); // EDNS0, 4096: the SRV answer passes 512 bytes
    return out.toByteArray();
  }

  private static void report(String what, List<Double> millis) {
    if (millis.isEmpty()) {
      System.out.println(what + ": no samples");
      return;
    }
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.printf(Locale.ROOT, "%-40s n=%d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n", what,
        sorted.size(), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.getLast());
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
