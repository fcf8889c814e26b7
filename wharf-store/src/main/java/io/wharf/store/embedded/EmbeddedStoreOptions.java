package io.wharf.store.embedded;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How an {@link EmbeddedStore} runs.
 *
 * @param clock the time leases expire by; tests pass a fake one and call
 *     {@link EmbeddedStore#expireLeases()} themselves
 * @param historyRetention how many of the latest revisions the watch history keeps; older ones
 *     are compacted automatically (a watcher further behind must relist)
 * @param maintenanceInterval how often lease expiry and automatic compaction run
 * @param syncOnCommit whether a write returns only after an fsync (true: survives power loss;
 *     false: survives a killed process but not a crashed machine — for throwaway stores only)
 * @param maxTxnOps the most operations one transaction branch may hold; etcd's default is 128,
 *     and keeping the same limit here keeps code that works embedded working on etcd
 * @param watchQueueLimit how many undelivered revisions one watch may hold in memory; past it
 *     the watch drops them and catches up from history (so a slow listener costs reads, not
 *     memory, and still sees every revision once)
 * @param cacheSizeMb how much of the file MVStore keeps decoded in memory; a store that fits
 *     is read and updated without touching the disk
 * @param checkpointInterval how often the in-memory state is written to the MVStore file (the
 *     write-ahead log covers the time between): longer means fewer page writes, a longer log
 *     to replay after a crash
 */
public record EmbeddedStoreOptions(InstantSource clock, long historyRetention,
    Duration maintenanceInterval, boolean syncOnCommit, int maxTxnOps, int watchQueueLimit,
    int cacheSizeMb, Duration checkpointInterval) {

  public EmbeddedStoreOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    if (checkpointInterval.isNegative()) {
      throw new IllegalArgumentException("checkpointInterval: must be >= 0, was " + checkpointInterval);
    }
    if (historyRetention < 1) {
      throw new IllegalArgumentException("historyRetention: must be >= 1, was " + historyRetention);
    }
    if (maintenanceInterval.isNegative() || maintenanceInterval.isZero()) {
      throw new IllegalArgumentException("maintenanceInterval: must be > 0, was " + maintenanceInterval);
    }
    if (maxTxnOps < 1) {
      throw new IllegalArgumentException("maxTxnOps: must be >= 1, was " + maxTxnOps);
    }
    if (watchQueueLimit < 1) {
      throw new IllegalArgumentException("watchQueueLimit: must be >= 1, was " + watchQueueLimit);
    }
    if (cacheSizeMb < 1) {
      throw new IllegalArgumentException("cacheSizeMb: must be >= 1, was " + cacheSizeMb);
    }
  }

  /**
   * System clock, 10,000 revisions of history, maintenance every 250 ms, fsync, 128 ops per
   * branch, 10,000 queued revisions per watch, 128 MB of cache, a checkpoint every second.
   */
  public static EmbeddedStoreOptions defaults() {
    return new EmbeddedStoreOptions(InstantSource.system(), 10_000, Duration.ofMillis(250), true,
        128, 10_000, 128, Duration.ofSeconds(1));
  }

  public EmbeddedStoreOptions withClock(InstantSource clock) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, syncOnCommit,
        maxTxnOps, watchQueueLimit, cacheSizeMb, checkpointInterval);
  }

  public EmbeddedStoreOptions withHistoryRetention(long revisions) {
    return new EmbeddedStoreOptions(clock, revisions, maintenanceInterval, syncOnCommit,
        maxTxnOps, watchQueueLimit, cacheSizeMb, checkpointInterval);
  }

  public EmbeddedStoreOptions withSyncOnCommit(boolean sync) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, sync,
        maxTxnOps, watchQueueLimit, cacheSizeMb, checkpointInterval);
  }

  public EmbeddedStoreOptions withWatchQueueLimit(int limit) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, syncOnCommit,
        maxTxnOps, limit, cacheSizeMb, checkpointInterval);
  }

  public EmbeddedStoreOptions withCacheSizeMb(int mb) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, syncOnCommit,
        maxTxnOps, watchQueueLimit, mb, checkpointInterval);
  }

  public EmbeddedStoreOptions withCheckpointInterval(Duration interval) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, syncOnCommit,
        maxTxnOps, watchQueueLimit, cacheSizeMb, interval);
  }
}
