package io.wharf.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.store.KeyValue;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the audit log within {@link AuditSettings}: deletes the oldest entries while more than
 * {@code retainEntries} exist or while the oldest is older than {@code maxAge}, on its own virtual
 * thread (the leader's duty, like the event pruner). It deletes from the old end only and stops at
 * the first entry it keeps, so a newer entry is never lost; writers add entries above the counter,
 * so pruning needs no coordination with them.
 */
public final class AuditPruner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditPruner.class);
  private static final int BATCH = 500;

  private final Store store;
  private final ObjectMapper json;
  private final AuditSettings settings;
  private final InstantSource clock;
  private final ScheduledExecutorService timer;

  public AuditPruner(Store store, ObjectMapper json, AuditSettings settings, InstantSource clock) {
    this.store = store;
    this.json = json;
    this.settings = settings;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("wharf-audit-pruner").factory());
    long every = settings.pruneInterval().toMillis();
    timer.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** Prunes now; returns how many entries were deleted. */
  public int pruneNow() {
    return prune(store, json, settings, clock.instant());
  }

  static int prune(Store store, ObjectMapper json, AuditSettings settings, Instant now) {
    long cutoff = AuditLog.read(store).last() - settings.retainEntries(); // numbers at or below go
    Instant oldest = settings.maxAge().isZero() ? null : now.minus(settings.maxAge());
    int deleted = 0;
    while (true) {
      RangeResult page = store.range(AuditLog.PREFIX, null, BATCH);
      List<Txn.Op> ops = new ArrayList<>();
      boolean kept = false;
      for (KeyValue kv : page.kvs()) {
        long n = AuditLog.sequenceOf(kv.key());
        if (n > cutoff && !tooOld(json, kv, oldest)) {
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

  private static boolean tooOld(ObjectMapper json, KeyValue kv, Instant oldest) {
    if (oldest == null) {
      return false;
    }
    try {
      return Instant.parse(json.readTree(kv.value()).path("time").asText()).isBefore(oldest);
    } catch (java.io.IOException | DateTimeParseException e) {
      return false; // an entry without a readable time is kept until the count pushes it out
    }
  }

  private void pruneQuietly() {
    try {
      int n = pruneNow();
      if (n > 0) {
        log.debug("pruned {} audit entries", n);
      }
    } catch (StoreException e) {
      log.warn("audit pruning failed; will retry: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("audit pruning failed", e);
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
