package io.wharf.bench.store;

import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import io.wharf.testkit.etcd.EtcdFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Store write benchmark: the same put workload, in one run, against
 * <ol>
 *   <li>{@code embedded}: Wharf's embedded store in a temp directory,
 *   <li>{@code etcd-store}: Wharf's etcd store on a fresh local etcd,
 *   <li>{@code raw-etcd}: plain jetcd puts on another fresh local etcd (the peer baseline),
 * </ol>
 * each with 1 and 16 writer threads by default, in interleaved rounds, printing writes/s, p50 and p99 latency in a
 * table and the ratios to raw etcd. Everything runs on loopback; every run is bounded by
 * {@code --max-seconds}.
 *
 * <p>Usage: {@code StoreBench [--writes N] [--threads 1,16] [--value-bytes 256] [--warmup N]
 * [--max-seconds S] [--rounds R] [--targets embedded,etcd-store,raw-etcd]}
 */
public final class StoreBench {
  private static final List<String> ALL_TARGETS = List.of("embedded", "etcd-store", "raw-etcd");

  /** gRPC logs through java.util.logging; held so its level setting is not garbage-collected. */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  private StoreBench() {}

  public static void main(String[] args) throws Exception {
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    Settings settings = Settings.parse(args);
    WriteWorkload workload = new WriteWorkload(settings.writes, settings.valueBytes,
        Duration.ofSeconds(settings.maxSeconds));
    WriteWorkload warmup = new WriteWorkload(settings.warmup, settings.valueBytes,
        Duration.ofSeconds(settings.maxSeconds));

    System.out.printf("Wharf store write benchmark, %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS));
    System.out.printf("java %s, %d cores, %s, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), etcdVersion());
    System.out.printf("workload: %d rounds of %d puts of %d-byte values to distinct keys per target and thread "
        + "count (after %d warm-up puts), threads %s, at most %ds per run%n%n", settings.rounds, settings.writes,
        settings.valueBytes, settings.warmup, settings.threads, settings.maxSeconds);

    try (SharedEtcd etcd = new SharedEtcd()) {
      runAll(settings, workload, warmup, etcd);
    }
  }

  private static void runAll(Settings settings, WriteWorkload workload, WriteWorkload warmup, SharedEtcd etcd)
      throws IOException, InterruptedException {
    List<WriteTarget> targets = new ArrayList<>();
    try {
      for (String name : settings.targets) {
        open(name, etcd).ifPresent(targets::add);
      }
      for (WriteTarget target : targets) {
        warmup.run(target, Math.min(4, Collections.max(settings.threads)), keyPrefix(targets, target) + "warmup/",
            new Measurement("", 0));
      }
      // Rounds interleave the targets in a balanced order: over 2 x (number of targets) rounds
      // every target runs right after every other one equally often. A target leaves work behind
      // (the embedded store checkpoints and collects garbage in this JVM, etcd flushes its disk)
      // that slows whichever runs next, and load from elsewhere comes in bursts; balancing
      // spreads both over all targets instead of penalizing one.
      Map<String, Measurement> measurements = new LinkedHashMap<>();
      for (WriteTarget target : targets) {
        for (int threads : settings.threads) {
          measurements.put(target.name() + "/" + threads, new Measurement(target.name(), threads));
        }
      }
      for (int round = 1; round <= settings.rounds; round++) {
        List<WriteTarget> order = balancedOrder(targets, round);
        for (int threads : settings.threads) {
          for (WriteTarget target : order) {
            workload.run(target, threads, keyPrefix(targets, target) + "r" + round + "/t" + threads + "/",
                measurements.get(target.name() + "/" + threads));
          }
        }
        System.out.printf("  round %d of %d done%n", round, settings.rounds);
      }
      System.out.println();
      System.out.print(table(measurements.values().stream().map(Measurement::result).toList(), settings));
    } finally {
      // Targets first: they are clients of the etcd closed after them.
      for (WriteTarget target : targets) {
        target.close();
      }
    }
  }

  /**
   * Round {@code round} (from 1) runs the targets rotated by {@code (round - 1) / 2}, odd rounds
   * forwards and even rounds backwards.
   */
  static List<WriteTarget> balancedOrder(List<WriteTarget> targets, int round) {
    List<WriteTarget> order = new ArrayList<>(targets);
    Collections.rotate(order, -((round - 1) / 2));
    if (round % 2 == 0) {
      Collections.reverse(order);
    }
    return order;
  }

  /** Targets may share an etcd; each writes under its own prefix so every put is to a new key. */
  private static String keyPrefix(List<WriteTarget> targets, WriteTarget target) {
    return "bench/" + targets.indexOf(target) + "/";
  }

  private static Optional<WriteTarget> open(String name, SharedEtcd etcd) throws IOException {
    switch (name) {
      case "embedded" -> {
        Path dir = Files.createTempDirectory("wharf-bench-embedded-");
        return Optional.of(new StoreTarget("embedded store", EmbeddedStore.open(dir), () -> deleteTree(dir)));
      }
      case "etcd-store" -> {
        return etcd.endpoint().map(endpoint -> new StoreTarget("etcd store (Wharf)",
            EtcdStore.connect(EtcdStoreOptions.of(endpoint)), () -> {}));
      }
      case "raw-etcd" -> {
        return etcd.endpoint().map(endpoint -> new RawEtcdTarget(endpoint, () -> {}));
      }
      default -> throw new IllegalArgumentException("unknown target " + name + "; known: " + ALL_TARGETS);
    }
  }

  /**
   * One fresh etcd for both etcd targets, started on first use: the Wharf layer and the raw
   * baseline then write to the same process, WAL and disk, so their difference is the layer's.
   */
  private static final class SharedEtcd implements AutoCloseable {
    private EtcdFixture etcd;
    private boolean unavailable;

    Optional<String> endpoint() {
      if (etcd == null && !unavailable) {
        try {
          etcd = EtcdFixture.started();
        } catch (RuntimeException e) {
          // The fixture aborts (a JUnit assumption) or fails when etcd is not installed.
          System.out.println("  skipped etcd targets: " + e.getMessage());
          unavailable = true;
        }
      }
      return Optional.ofNullable(etcd).map(EtcdFixture::endpoint);
    }

    @Override
    public void close() {
      if (etcd != null) {
        etcd.close();
      }
    }
  }

  static String table(List<WriteResult> results, Settings settings) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-22s %7s %8s %12s %9s %9s %9s%n",
        "target", "threads", "writes", "writes/s", "p50 ms", "p99 ms", "max ms"));
    for (int threads : settings.threads) {
      for (WriteResult r : results) {
        if (r.threads() == threads) {
          out.append(String.format(Locale.ROOT, "%-22s %7d %8d %12.0f %9.3f %9.3f %9.3f%n", r.target(), r.threads(),
              r.writes(), r.writesPerSecond(), r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, r.maxNanos() / 1e6));
        }
      }
    }
    out.append(String.format(Locale.ROOT, "%nratios to raw etcd (writes/s higher is better; p99 lower is better)%n"));
    for (int threads : settings.threads) {
      Optional<WriteResult> raw = results.stream()
          .filter(r -> r.threads() == threads && r.target().startsWith("raw etcd")).findFirst();
      if (raw.isEmpty()) {
        continue;
      }
      for (WriteResult r : results) {
        if (r.threads() == threads && r != raw.get()) {
          out.append(String.format(Locale.ROOT, "%-22s %7d  writes/s x%.2f   p99 x%.2f%n", r.target(), threads,
              r.writesPerSecond() / raw.get().writesPerSecond(), (double) r.p99Nanos() / raw.get().p99Nanos()));
        }
      }
    }
    return out.toString();
  }

  private static String etcdVersion() {
    try {
      Process p = new ProcessBuilder("etcd", "--version").redirectErrorStream(true).start();
      try (InputStream in = p.getInputStream()) {
        String first = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
        p.waitFor();
        return first;
      }
    } catch (IOException e) {
      return "etcd not found";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "etcd version unknown";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Command-line settings with their defaults. */
  record Settings(int writes, List<Integer> threads, int valueBytes, int warmup, int maxSeconds, int rounds,
      List<String> targets) {

    static Settings parse(String[] args) {
      int writes = 1000;
      List<Integer> threads = List.of(1, 16);
      int valueBytes = 256;
      int warmup = 500;
      int maxSeconds = 30;
      int rounds = 6;
      List<String> targets = ALL_TARGETS;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          System.out.println("usage: StoreBench [--writes N] [--threads 1,16] [--value-bytes 256] [--warmup N]"
              + " [--max-seconds S] [--rounds R] [--targets " + String.join(",", ALL_TARGETS) + "]");
          System.exit(0);
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--writes" -> writes = Integer.parseInt(value);
          case "--threads" -> threads = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
          case "--value-bytes" -> valueBytes = Integer.parseInt(value);
          case "--warmup" -> warmup = Integer.parseInt(value);
          case "--max-seconds" -> maxSeconds = Integer.parseInt(value);
          case "--rounds" -> rounds = Integer.parseInt(value);
          case "--targets" -> targets = Arrays.stream(value.split(",")).map(String::trim).toList();
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      return new Settings(writes, threads, valueBytes, Math.max(1, warmup), maxSeconds, Math.max(1, rounds), targets);
    }
  }
}
