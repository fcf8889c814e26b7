package io.wharf.bench.store;

import java.time.Duration;

/**
 * What one run measured: {@code writes} puts by {@code threads} threads in {@code elapsed} wall
 * time, and per-put latency percentiles in nanoseconds.
 */
record WriteResult(String target, int threads, int writes, Duration elapsed, long p50Nanos, long p99Nanos,
    long maxNanos) {

  double writesPerSecond() {
    return writes / (elapsed.toNanos() / 1e9);
  }
}
