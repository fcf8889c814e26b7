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

  /**
   * Runs the workload against {@code target} with keys under {@code keyPrefix} and adds the
   * latencies and wall time to {@code into}.
   */
  void run(WriteTarget target, int threads, String keyPrefix, Measurement into) throws InterruptedException {
    int perThread = Math.max(1, writes / threads);
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> futures = new ArrayList<>(threads);
    long deadline = System.nanoTime() + maxDuration.toNanos();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        String prefix = keyPrefix + t + "/";
        futures.add(pool.submit(() -> {
          long[] latencies = new long[perThread];
          start.await();
          int done = 0;
          while (done < perThread && System.nanoTime() < deadline) {
            long before = System.nanoTime();
            target.put(prefix + done, value);
            latencies[done++] = System.nanoTime() - before;
          }
          return Arrays.copyOf(latencies, done);
        }));
      }
      long startNanos = System.nanoTime();
      start.countDown();
      List<long[]> perThreadLatencies = new ArrayList<>(threads);
      for (Future<long[]> f : futures) {
        perThreadLatencies.add(get(f));
      }
      long elapsed = System.nanoTime() - startNanos;
      into.add(perThreadLatencies.stream().flatMapToLong(Arrays::stream).toArray(), elapsed);
    }
  }

  private static long[] get(Future<long[]> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a writer failed: " + e.getCause(), e.getCause());
    }
  }
}
