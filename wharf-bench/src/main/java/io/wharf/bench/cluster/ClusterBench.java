package io.wharf.bench.cluster;

import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * C1M on one machine: a real {@code wharf server} (own JVM, embedded store) and a {@link
 * SimulatedFleet} of {@code --nodes} nodes in this JVM; applies one stack of {@code --services}
 * sim services at each replica count of {@code --steps} (so the totals grow step by step, each
 * step an update of the same stack) and measures, per step:
 * <ul>
 *   <li><b>apply</b>: {@code POST /v1/apply} returned (services stored);</li>
 *   <li><b>placed</b>: every instance exists with a node, as the fleet's API watch shows;</li>
 *   <li><b>running</b>: every instance is stored {@code running}, as the same watch shows;</li>
 *   <li>the server's RSS and live heap (after a full GC, by {@code jcmd}) at the end of the step.</li>
 * </ul>
 * Stops after the first step that does not finish within {@code --step-timeout}. Prints one line
 * per step and a progress line every 5 s.
 *
 * <pre>
 * scripts/bench-cluster --nodes 5000 --services 1000 --steps 100,200,500,1000 --heap 8g
 * </pre>
 */
public final class ClusterBench {
  private ClusterBench() {}

  record Options(int nodes, int services, List<Integer> steps, Duration stepTimeout, String heap, Path jfr,
      Path dir, boolean watchPerNode) {}

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    Path dir = o.dir() != null ? o.dir() : Files.createTempDirectory("wharf-cluster-bench");
    try {
      run(o, dir);
    } finally {
      if (o.dir() == null) {
        try (var paths = Files.walk(dir)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static void run(Options o, Path dir) throws Exception {
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + o.heap(), "-Xms" + o.heap(), "-XX:+UseG1GC"));
    if (o.jfr() != null) {
      jvm.add("-XX:StartFlightRecording=filename=" + o.jfr().toAbsolutePath() + ",settings=profile,dumponexit=true");
    }
    System.out.printf("cluster bench: %d nodes, %d services, steps %s replicas, step timeout %ds, server heap %s, %s%n",
        o.nodes(), o.services(), o.steps(), o.stepTimeout().toSeconds(), o.heap(),
        o.watchPerNode() ? "one assignment watch per node" : "one assignment watch for the fleet");
    System.out.printf("machine: %d cpus, %s; data in %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.version"), dir);
    try (ServerProcess server = ServerProcess.start(dir.resolve("server"), jvm, Duration.ofSeconds(60));
        WharfClient client = new WharfClient(ClientSettings.of(server.api()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN).withWatchIdleTimeout(Duration.ofSeconds(60)))) {
      System.out.printf("server pid %d at %s; idle RSS %.0f MiB, live heap %.0f MiB%n", server.pid(), server.api(),
          server.rssMiB(), server.liveHeapMiB());
      long t0 = System.nanoTime();
      try (SimulatedFleet fleet = SimulatedFleet.start(client,
          FleetSettings.of(o.nodes()).withWatchPerNode(o.watchPerNode()))) {
        System.out.printf("fleet: %d nodes registered and ready in %.1f s; server RSS %.0f MiB%n", o.nodes(),
            seconds(System.nanoTime() - t0), server.rssMiB());
        System.out.println();
        System.out.println("  instances   apply s  placed s  running s   inst/s   server cpu s   RSS MiB   live heap MiB   heap/100k MiB");
        for (int replicas : o.steps()) {
          long total = (long) replicas * o.services();
          if (!step(o, server, client, fleet, replicas, total)) {
            break;
          }
        }
      }
    }
  }

  private static boolean step(Options o, ServerProcess server, WharfClient client, SimulatedFleet fleet, int replicas,
      long total) throws InterruptedException {
    long before = fleet.assigned();
    double cpuBefore = server.cpuSeconds();
    long start = System.nanoTime();
    client.apply(ClusterStack.yaml("c1m", o.services(), replicas), WharfClient.YAML, OptionalLong.empty());
    long applied = System.nanoTime();
    long placed = 0;
    long deadline = start + o.stepTimeout().toNanos();
    long nextProgress = start + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      long assigned = fleet.assigned();
      long running = fleet.running();
      if (placed == 0 && assigned >= total) {
        placed = System.nanoTime();
      }
      if (assigned >= total && running >= total) {
        break;
      }
      if (System.nanoTime() >= nextProgress) {
        System.out.printf("    .. %5.0f s: placed %,d  running %,d  (server cpu %.0f s, RSS %.0f MiB; %d reports)%n",
            seconds(System.nanoTime() - start), assigned, running, server.cpuSeconds() - cpuBefore, server.rssMiB(),
            fleet.reportCalls());
        nextProgress += 5_000_000_000L;
      }
      Thread.sleep(20);
    }
    long end = System.nanoTime();
    boolean done = fleet.assigned() >= total && fleet.running() >= total;
    double cpu = server.cpuSeconds() - cpuBefore;
    double rss = server.rssMiB();
    double heap = server.liveHeapMiB();
    System.out.printf(Locale.ROOT, "  %,9d %9.1f %9s %10s %8.0f %14.1f %9.0f %15.0f %15.0f%s%n", total,
        seconds(applied - start), placed == 0 ? "-" : String.format(Locale.ROOT, "%.1f", seconds(placed - start)),
        done ? String.format(Locale.ROOT, "%.1f", seconds(end - start)) : "-",
        (fleet.running() - Math.min(before, fleet.running())) / seconds(end - start), cpu, rss, heap,
        heap / (total / 100_000.0),
        done ? "" : String.format("   TIMED OUT after %d s: placed %,d, running %,d", o.stepTimeout().toSeconds(),
            fleet.assigned(), fleet.running()));
    return done;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static Options parse(String[] args) {
    int nodes = 5000;
    int services = 1000;
    List<Integer> steps = List.of(100);
    Duration timeout = Duration.ofSeconds(300);
    String heap = "8g";
    Path jfr = null;
    Path dir = null;
    boolean watchPerNode = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--nodes" -> nodes = Integer.parseInt(v);
        case "--services" -> services = Integer.parseInt(v);
        case "--steps" -> steps = Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt).toList();
        case "--step-timeout" -> timeout = Duration.ofSeconds(Long.parseLong(v));
        case "--heap" -> heap = v;
        case "--jfr" -> jfr = Path.of(v);
        case "--dir" -> dir = Path.of(v);
        case "--watch-per-node" -> {
          watchPerNode = true;
          i--;
        }
        case "--help" -> {
          System.out.println("options: --nodes N (5000) --services N (1000) --steps R,R,... replicas per service"
              + " (100) --step-timeout S (300) --heap SIZE (8g) --jfr FILE --dir DIR --watch-per-node");
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
      }
      i++;
    }
    return new Options(nodes, services, steps, timeout, heap, jfr, dir, watchPerNode);
  }
}
