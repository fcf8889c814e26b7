package io.wharf.store.embedded;

import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * A sanity gauge, not a benchmark (those live in wharf-bench): puts from N virtual threads for a
 * few seconds and prints writes per second. Run from the module directory:
 * {@code java -cp <test classpath> io.wharf.store.embedded.EmbeddedStoreThroughput [seconds] [threads...]}.
 */
public final class EmbeddedStoreThroughput {
  private EmbeddedStoreThroughput() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int[] threadCounts = args.length > 1
        ? java.util.Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 8, 64};
    byte[] value = new byte[256];
    for (int threads : threadCounts) {
      Path dir = Files.createTempDirectory("wharf-store-throughput");
      try (EmbeddedStore store = EmbeddedStore.open(dir)) {
        LongAdder writes = new LongAdder();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
          String prefix = "/bench/" + t + "/";
          Thread.ofVirtual().start(() -> {
            for (int i = 0; System.nanoTime() < deadline; i++) {
              store.txn(Txn.of(List.of(), List.of(new Txn.Put(prefix + (i % 1000), value))));
              writes.increment();
            }
            done.countDown();
          });
        }
        done.await();
        long size = Files.size(dir.resolve(EmbeddedStore.FILE_NAME));
        System.out.printf("threads=%d writes/s=%d (256 B values, fsync on) file=%d KiB%n",
            threads, writes.sum() / seconds, size / 1024);
      }
    }
    System.out.println(new String("done".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
  }
}
