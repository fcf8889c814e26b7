package io.wharf.server.events;

import io.wharf.store.KeyValue;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the newest {@code retain} events and deletes older ones, on its own virtual thread
 * every {@code interval}. Deleting old events needs no coordination with writers: writers only
 * add keys above the counter, the pruner only removes keys far below it.
 */
public final class EventPruner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventPruner.class);
  private static final int BATCH = 500;

  private final Store store;
  private final long retain;
  private final ScheduledExecutorService timer;

  public EventPruner(Store store, long retain, Duration interval) {
    if (retain < 1) {
      throw new IllegalArgumentException("retain must be >= 1");
    }
    this.store = store;
    this.retain = retain;
    this.timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofVirtual().name("wharf-event-pruner").factory());
    timer.scheduleWithFixedDelay(this::pruneQuietly, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Deletes every event numbered at or below {@code last - retain}; returns how many. */
  public int pruneNow() {
    long cutoff = EventLog.read(store).last() - retain;
    int deleted = 0;
    while (cutoff > 0) {
      RangeResult page = store.range(EventLog.PREFIX, null, BATCH);
      List<Txn.Op> ops = new ArrayList<>();
      for (KeyValue kv : page.kvs()) {
        long n = EventLog.sequenceOf(kv.key());
        if (n > cutoff) {
          break;
        }
        ops.add(new Txn.Delete(kv.key()));
      }
      if (ops.isEmpty()) {
        break;
      }
      store.txn(Txn.of(List.of(), ops));
      deleted += ops.size();
      if (ops.size() < page.kvs().size() || !page.more()) {
        break;
      }
    }
    return deleted;
  }

  private void pruneQuietly() {
    try {
      int n = pruneNow();
      if (n > 0) {
        log.debug("pruned {} events", n);
      }
    } catch (StoreException e) {
      log.warn("event pruning failed; will retry: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("event pruning failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
