package io.wharf.bench.store;

import java.time.Duration;
import java.util.Arrays;

/**
 * Latencies and wall time of several runs of one target at one thread count, pooled.
 * Not thread-safe: the benchmark's main thread adds runs after their writers finished.
 */
final class Measurement {
  private final String target;
  private final int threads;
  private long[] latencies = new long[0];
  private long elapsedNanos;

  Measurement(String target, int threads) {
    this.target = target;
    this.threads = threads;
  }

  void add(long[] runLatencies, long runElapsedNanos) {
    int old = latencies.length;
    latencies = Arrays.copyOf(latencies, old + runLatencies.length);
    System.arraycopy(runLatencies, 0, latencies, old, runLatencies.length);
    elapsedNanos += runElapsedNanos;
  }

  WriteResult result() {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new WriteResult(target, threads, sorted.length, Duration.ofNanos(elapsedNanos), percentile(sorted, 0.50),
        percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
  }

  /** The nearest-rank percentile of sorted {@code values}. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }
}
