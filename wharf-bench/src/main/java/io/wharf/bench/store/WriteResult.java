package io.wharf.bench.store;

import java.time.Duration;

/**
 * What the runs of one target at one thread count measured together: {@code writes} puts in
 * {@code elapsed} wall time (summed over runs), and per-put latency percentiles in nanoseconds
 * over all of them.
 */
record WriteResult(String target, int threads, int writes, Duration elapsed, long p50Nanos, long p99Nanos,
    long maxNanos) {

  double writesPerSecond() {
    return writes / (elapsed.toNanos() / 1e9);
  }
}
