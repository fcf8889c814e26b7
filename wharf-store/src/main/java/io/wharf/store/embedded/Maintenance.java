package io.wharf.store.embedded;

import io.wharf.store.StoreException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's housekeeping thread: every interval it expires leases and compacts history past
 * the retention window. Failures are logged and retried next round. Closing waits for a round
 * in progress to finish (it never interrupts one: an interrupt during file I/O would close the
 * store's file channel).
 */
final class Maintenance implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Maintenance.class);

  private final EmbeddedStore store;
  private final long intervalNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopRequested = lock.newCondition();
  private boolean stopped; // guarded by lock
  private final Thread thread;

  Maintenance(EmbeddedStore store, Duration interval) {
    this.store = store;
    this.intervalNanos = interval.toNanos();
    this.thread = Thread.ofVirtual().name("wharf-store-maintenance").start(this::loop);
  }

  private void loop() {
    while (waitForNextRound()) {
      try {
        store.expireLeases();
        store.applyRetention();
      } catch (StoreException e) {
        log.debug("maintenance round skipped: {}", e.getMessage());
      } catch (RuntimeException e) {
        log.warn("maintenance round failed", e);
      }
    }
  }

  /** Waits one interval; false when the store is closing. */
  private boolean waitForNextRound() {
    lock.lock();
    try {
      long left = intervalNanos;
      while (!stopped && left > 0) {
        left = stopRequested.awaitNanos(left);
      }
      return !stopped;
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      stopped = true;
      stopRequested.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
