package io.wharf.server.sequenced;

import io.wharf.store.KeyValue;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link SequencedLog} within its {@link Retention}: every {@code interval}, on its own
 * virtual thread, deletes the oldest entries while more than {@code entries} exist or while the
 * oldest is older than {@code maxAge} (a leader duty). It deletes from the old end only and stops at
 * the first entry it keeps, so a newer entry is never lost; writers add entries above the counter,
 * so pruning needs no coordination with them (nor a fence: deleting entries far below the counter is
 * harmless from any server).
 *
 * <p>Subclasses only name a log and its retention ({@code EventPruner}, {@code AuditPruner}).
 */
public class SequencedLogPruner implements AutoCloseable {
  private static final int BATCH = 500;

  /**
   * What is kept: the newest {@code entries}, and of those only entries at most {@code maxAge} old
   * ({@link Duration#ZERO}: no age limit). {@code timeOf} reads an entry's time; an entry whose
   * time it cannot read (null) is kept until the count pushes it out.
   */
  public record Retention(long entries, Duration maxAge, Function<KeyValue, Instant> timeOf) {
    public Retention {
      if (entries < 1) {
        throw new IllegalArgumentException("retain must be >= 1");
      }
      Objects.requireNonNull(maxAge, "maxAge");
      Objects.requireNonNull(timeOf, "timeOf");
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("max age must not be negative, got " + maxAge);
      }
    }

    /** Keeps the newest {@code entries}, whatever their age. */
    public static Retention newest(long entries) {
      return new Retention(entries, Duration.ZERO, kv -> null);
    }
  }

  private final Store store;
  private final SequencedLog sequenced;
  private final Retention retention;
  private final InstantSource clock;
  private final String name;
  private final String entriesName;
  private final Logger log = LoggerFactory.getLogger(getClass());
  private final ScheduledExecutorService timer;

  /**
   * Starts pruning every {@code interval}; {@code name} names the thread
   * ({@code wharf-<name>-pruner}) and {@code entriesName} what the log lines count.
   */
  public SequencedLogPruner(Store store, SequencedLog sequenced, Retention retention, Duration interval,
      InstantSource clock, String name, String entriesName) {
    this.store = store;
    this.sequenced = sequenced;
    this.retention = retention;
    this.clock = clock;
    this.name = name;
    this.entriesName = entriesName;
    this.timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofVirtual().name("wharf-" + name + "-pruner").factory());
    long every = interval.toMillis();
    timer.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** Prunes now; returns how many entries were deleted. */
  public int pruneNow() {
    return prune(store, sequenced, retention, clock.instant());
  }

  /** Deletes what {@code retention} does not keep as of {@code now}; returns how many entries. */
  public static int prune(Store store, SequencedLog sequenced, Retention retention, Instant now) {
    long cutoff = sequenced.read(store).last() - retention.entries(); // numbers at or below go
    Instant oldest = retention.maxAge().isZero() ? null : now.minus(retention.maxAge());
    if (cutoff <= 0 && oldest == null) {
      return 0; // fewer entries than the count keeps, and no age limit
    }
    int deleted = 0;
    while (true) {
      RangeResult page = store.range(sequenced.prefix(), null, BATCH);
      List<Txn.Op> ops = new ArrayList<>();
      boolean kept = false;
      for (KeyValue kv : page.kvs()) {
        if (sequenced.sequenceOf(kv.key()) > cutoff && !tooOld(retention, kv, oldest)) {
          kept = true;
          break;
        }
        ops.add(new Txn.Delete(kv.key()));
      }
      if (!ops.isEmpty()) {
        store.txn(Txn.of(List.of(), ops));
        deleted += ops.size();
      }
      if (kept || !page.more() || ops.isEmpty()) {
        return deleted;
      }
    }
  }

  private static boolean tooOld(Retention retention, KeyValue kv, Instant oldest) {
    if (oldest == null) {
      return false;
    }
    Instant at = retention.timeOf().apply(kv);
    return at != null && at.isBefore(oldest);
  }

  private void pruneQuietly() {
    try {
      int n = pruneNow();
      if (n > 0) {
        log.debug("pruned {} {}", n, entriesName);
      }
    } catch (StoreException e) {
      log.warn("{} pruning failed; will retry: {}", name, e.getMessage());
    } catch (RuntimeException e) {
      log.error("{} pruning failed", name, e);
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
