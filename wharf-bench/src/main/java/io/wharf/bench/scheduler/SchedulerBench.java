package io.wharf.bench.scheduler;

import io.wharf.scheduler.BatchPlan;
import io.wharf.scheduler.ClusterSnapshot;
import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import io.wharf.scheduler.Plan;
import io.wharf.scheduler.PlacementRound;
import io.wharf.scheduler.Scheduler;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scheduler alone (no store, no API): placements per second and latency per placement on a
 * simulated cluster ({@link SimulatedCluster}), three ways:
 * <ol>
 *   <li>{@code single}: {@code Scheduler.schedule(demand, snapshot)} per instance against an
 *       unchanging snapshot: what one isolated call costs (it builds its working copy of every node
 *       and every node's veto each time);
 *   <li>{@code round-each}: one {@link PlacementRound}, one {@code place(demand, 1)} per instance,
 *       each accounted before the next, moving to the next service at the first refusal: a
 *       controller placing instances one by one;
 *   <li>{@code batch}: one round, {@code place(demand, replicas)} per service: the batch API.
 * </ol>
 * Every mode places the same services in the same order; each run checks that no node ended
 * overcommitted. Latency per placement is timed per call for {@code single} and {@code round-each},
 * and per batch divided by the instances it placed for {@code batch}.
 *
 * <p>Usage: {@code SchedulerBench [--nodes 5000] [--services 1000] [--replicas 100] [--single 20000]
 * [--rounds 3] [--seed 42]}
 */
public final class SchedulerBench {
  private SchedulerBench() {}

  public static void main(String[] args) {
    Map<String, Long> s = settings(args);
    int nodes = s.get("nodes").intValue();
    int services = s.get("services").intValue();
    int replicas = s.get("replicas").intValue();
    int single = s.get("single").intValue();
    int rounds = s.get("rounds").intValue();
    long seed = s.get("seed");
    ClusterSnapshot cluster = SimulatedCluster.nodes(nodes, seed);
    List<Demand> demands = SimulatedCluster.services(services, seed + 1);
    Scheduler scheduler = new Scheduler();

    System.out.printf("Wharf scheduler benchmark, %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS));
    System.out.printf("java %s, %d cores, %s %s, max heap %d MiB%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("cluster: %d nodes (%d schedulable); %d services x %d replicas = %d instances; "
        + "single: %d calls; %d measured rounds after 1 warm-up; seed %d%n%n", nodes,
        cluster.nodes().stream().filter(n -> n.ready() && !n.draining() && n.eligible()).count(), services, replicas,
        (long) services * replicas, single, rounds, seed);
    System.out.printf("%-11s %5s %9s %14s %16s %9s %9s %10s%n", "mode", "round", "placed", "placements/s",
        "per cpu-second", "p50 us", "p99 us", "max us");

    List<Result> results = new ArrayList<>();
    for (int round = 0; round <= rounds; round++) {
      for (String mode : List.of("single", "round-each", "batch")) {
        Result r = switch (mode) {
          case "single" -> single(scheduler, cluster, demands, single);
          case "round-each" -> roundEach(scheduler, cluster, demands, replicas);
          default -> batch(scheduler, cluster, demands, replicas);
        };
        if (round > 0) {
          results.add(r);
          System.out.printf(Locale.ROOT, "%-11s %5d %9d %,14.0f %,16.0f %9.1f %9.1f %10.1f%n", mode, round, r.placed,
              r.perSecond(), r.perCpuSecond(), r.p50Micros(), r.p99Micros(), r.maxMicros());
        }
      }
    }
    System.out.println();
    System.out.println("median of the measured rounds, and ratio to the references (Nomad C1M ~3,750/s end to end on");
    System.out.println("five 32-core servers; Kubernetes scheduler_perf minimum ~800 pods/s at 5,000 nodes):");
    for (String mode : List.of("single", "round-each", "batch")) {
      List<Result> of = results.stream().filter(r -> r.mode.equals(mode)).sorted((a, b) ->
          Double.compare(a.perSecond(), b.perSecond())).toList();
      Result median = of.get(of.size() / 2);
      System.out.printf(Locale.ROOT,
          "%-11s %,10.0f placements/s (%,.0f per cpu-second)  p50 %.1f us  p99 %.1f us   x%.1f Nomad  x%.1f k8s%n",
          mode, median.perSecond(), median.perCpuSecond(), median.p50Micros(), median.p99Micros(),
          median.perSecond() / 3750, median.perSecond() / 800);
    }
  }

  private static Result single(Scheduler scheduler, ClusterSnapshot cluster, List<Demand> demands, int calls) {
    long[] latencies = new long[calls];
    int placed = 0;
    long start = System.nanoTime();
    long cpuStart = cpuNow();
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      Plan plan = scheduler.schedule(demands.get(i % demands.size()), cluster);
      latencies[i] = System.nanoTime() - t0;
      if (plan instanceof Plan.Placement) {
        placed++;
      }
    }
    return new Result("single", placed, System.nanoTime() - start, cpuNow() - cpuStart, latencies);
  }

  private static Result roundEach(Scheduler scheduler, ClusterSnapshot cluster, List<Demand> demands, int replicas) {
    PlacementRound round = scheduler.round(cluster);
    long[] latencies = new long[demands.size() * replicas];
    Map<String, Integer> placedOn = new HashMap<>();
    int calls = 0;
    int placed = 0;
    long start = System.nanoTime();
    long cpuStart = cpuNow();
    for (Demand d : demands) {
      for (int r = 0; r < replicas; r++) {
        long t0 = System.nanoTime();
        BatchPlan plan = round.place(d, 1);
        latencies[calls++] = System.nanoTime() - t0;
        if (!plan.complete()) {
          break; // as a controller does: the first refusal ends the service's pass
        }
        placed++;
        placedOn.merge(plan.nodes().get(0) + " " + d.workload(), 1, Integer::sum);
      }
    }
    long elapsed = System.nanoTime() - start;
    long cpu = cpuNow() - cpuStart;
    verify(cluster, demands, placedOn);
    return new Result("round-each", placed, elapsed, cpu, Arrays.copyOf(latencies, calls));
  }

  private static Result batch(Scheduler scheduler, ClusterSnapshot cluster, List<Demand> demands, int replicas) {
    PlacementRound round = scheduler.round(cluster);
    List<Long> perPlacement = new ArrayList<>();
    Map<String, Integer> placedOn = new HashMap<>();
    int placed = 0;
    long start = System.nanoTime();
    long cpuStart = cpuNow();
    for (Demand d : demands) {
      long t0 = System.nanoTime();
      BatchPlan plan = round.place(d, replicas);
      long took = System.nanoTime() - t0;
      placed += plan.placed();
      for (int i = 0; i < plan.placed(); i++) {
        perPlacement.add(took / plan.placed());
      }
      for (String node : plan.nodes()) {
        placedOn.merge(node + " " + d.workload(), 1, Integer::sum);
      }
    }
    long elapsed = System.nanoTime() - start;
    long cpu = cpuNow() - cpuStart;
    verify(cluster, demands, placedOn);
    return new Result("batch", placed, elapsed, cpu, perPlacement.stream().mapToLong(Long::longValue).toArray());
  }

  /** No node overcommitted on cpu or memory by what the run placed; distinct nodes respected. */
  private static void verify(ClusterSnapshot cluster, List<Demand> demands, Map<String, Integer> placedOn) {
    Map<String, Demand> byName = new HashMap<>();
    demands.forEach(d -> byName.put(d.workload(), d));
    Map<String, long[]> used = new HashMap<>();
    placedOn.forEach((key, n) -> {
      String[] parts = key.split(" ");
      Demand d = byName.get(parts[1]);
      if (d.distinctNodes() && n > 1) {
        throw new IllegalStateException(n + " instances of distinct " + d.workload() + " on " + parts[0]);
      }
      long[] u = used.computeIfAbsent(parts[0], k -> new long[2]);
      u[0] += n * d.resources().cpu().millicores();
      u[1] += n * d.resources().memory().bytes();
    });
    for (NodeCandidate node : cluster.nodes()) {
      long[] u = used.getOrDefault(node.name(), new long[2]);
      if (u[0] > node.allocatable().cpu().millicores() || u[1] > node.allocatable().memory().bytes()) {
        throw new IllegalStateException(node.name() + " overcommitted");
      }
    }
  }

  /** This thread's CPU time: on a shared machine, placements per CPU-second show the work apart from waiting for a core. */
  private static long cpuNow() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private record Result(String mode, int placed, long nanos, long cpuNanos, long[] latencies) {
    Result {
      latencies = latencies.clone();
      Arrays.sort(latencies);
    }

    double perSecond() {
      return placed / (nanos / 1e9);
    }

    double perCpuSecond() {
      return placed / (cpuNanos / 1e9);
    }

    double p50Micros() {
      return percentile(0.50);
    }

    double p99Micros() {
      return percentile(0.99);
    }

    double maxMicros() {
      return latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e3;
    }

    private double percentile(double p) {
      return latencies.length == 0 ? 0 : latencies[Math.min(latencies.length - 1, (int) (p * latencies.length))] / 1e3;
    }
  }

  private static Map<String, Long> settings(String[] args) {
    Map<String, Long> s = new HashMap<>(Map.of("nodes", 5000L, "services", 1000L, "replicas", 100L, "single", 20000L,
        "rounds", 3L, "seed", 42L));
    for (int i = 0; i < args.length; i += 2) {
      String key = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!s.containsKey(key) || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: SchedulerBench [--nodes N] [--services N] [--replicas N] "
            + "[--single N] [--rounds N] [--seed N]; bad argument " + args[i]);
      }
      s.put(key, Long.parseLong(args[i + 1]));
    }
    return s;
  }
}
