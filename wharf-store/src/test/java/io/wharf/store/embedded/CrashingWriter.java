package io.wharf.store.embedded;

import io.wharf.store.LeaseId;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A child process for {@link EmbeddedStoreCrashTest}: opens the store in {@code args[0]} and
 * writes from {@code args[1]} threads until it is killed, printing one line per acknowledged
 * write: {@code put <key> <revision>} or {@code lease <id>}. A line is printed only after the
 * call returned, so every printed write must survive the kill.
 */
public final class CrashingWriter {
  private CrashingWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    String run = args[2];
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    // Frequent checkpoints, so kills also land in the middle of one.
    EmbeddedStore store = EmbeddedStore.open(dir,
        EmbeddedStoreOptions.defaults().withCheckpointInterval(Duration.ofMillis(20)));
    LeaseId lease = store.grantLease(Duration.ofMinutes(10));
    ack(out, "lease " + lease.id());
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread.ofPlatform().start(() -> {
        for (long i = 0; ; i++) {
          String key = "/crash/" + run + "/" + thread + "/" + i;
          TxnResult r = store.txn(Txn.of(List.of(), List.of(
              new Txn.Put(key, key.getBytes(StandardCharsets.UTF_8)))));
          ack(out, "put " + key + " " + r.revision());
        }
      });
    }
    Thread.currentThread().join();
  }

  private static void ack(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
