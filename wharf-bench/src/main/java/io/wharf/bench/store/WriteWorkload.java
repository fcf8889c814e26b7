package io.wharf.bench.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The workload: {@code threads} threads each put {@code writes / threads} values of
 * {@code valueBytes} bytes to keys no other put uses, timing every put. A run stops early at
 * {@code maxDuration} so the benchmark stays bounded on a slow machine; the result then says
 * how many writes were done.
 */
record WriteWorkload(int writes, int valueBytes, Duration maxDuration) {

  WriteWorkload {
    if (writes < 1 || valueBytes < 0 || maxDuration.isNegative() || maxDuration.isZero()) {
      throw new IllegalArgumentException("writes must be >= 1, valueBytes >= 0, maxDuration > 0");
    }
  }

  /** Runs the workload against {@code target} with keys under {@code keyPrefix}. */
  WriteResult run(WriteTarget target, int threads, String keyPrefix) throws InterruptedException {
    int perThread = Math.max(1, writes / threads);
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> futures = new ArrayList<>(threads);
    long startNanos;
    long endNanos;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      long[] deadline = new long[1];
      for (int t = 0; t < threads; t++) {
        String prefix = keyPrefix + t + "/";
        futures.add(pool.submit(() -> {
          long[] latencies = new long[perThread];
          start.await();
          int done = 0;
          while (done < perThread && System.nanoTime() < deadline[0]) {
            long before = System.nanoTime();
            target.put(prefix + done, value);
            latencies[done++] = System.nanoTime() - before;
          }
          return Arrays.copyOf(latencies, done);
        }));
      }
      startNanos = System.nanoTime();
      deadline[0] = startNanos + maxDuration.toNanos();
      start.countDown();
      List<long[]> perThreadLatencies = new ArrayList<>(threads);
      for (Future<long[]> f : futures) {
        perThreadLatencies.add(get(f));
      }
      endNanos = System.nanoTime();
      long[] all = perThreadLatencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return new WriteResult(target.name(), threads, all.length, Duration.ofNanos(endNanos - startNanos),
          percentile(all, 0.50), percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1]);
    }
  }

  private static long[] get(Future<long[]> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a writer failed: " + e.getCause(), e.getCause());
    }
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
