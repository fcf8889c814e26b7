package io.wharf.store.embedded;

import java.util.concurrent.atomic.AtomicInteger;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RootReference;

/**
 * What readers see: the key map's root as of one durable batch, and its revision.
 *
 * <p>A snapshot pins its MVStore version so the file chunks its pages live in are not reused
 * while anyone reads it. {@code users} counts readers plus one for being the published
 * snapshot; whoever drops it to zero releases the pin, and a snapshot at zero can no longer be
 * acquired (a newer one has been published by then). Thread-safe.
 */
final class ReadSnapshot {
  final RootReference<String, byte[]> keys;
  final long revision;
  private final MVStore.TxCounter pin;
  private final AtomicInteger users = new AtomicInteger(1);

  ReadSnapshot(RootReference<String, byte[]> keys, long revision, MVStore mv) {
    this.keys = keys;
    this.revision = revision;
    this.pin = mv.registerVersionUsage();
  }

  /** Registers a reader; false when the snapshot is already retired. */
  boolean tryAcquire() {
    while (true) {
      int n = users.get();
      if (n == 0) {
        return false;
      }
      if (users.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Ends a reader's use, or retires the snapshot when called once more by its publisher. */
  void release(MVStore mv) {
    if (users.decrementAndGet() == 0 && !mv.isClosed()) {
      mv.deregisterVersionUsage(pin);
    }
  }
}
