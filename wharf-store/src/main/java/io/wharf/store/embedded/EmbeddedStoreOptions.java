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
 * @param maxTxnOps the most operations one transaction branch may hold (10,000 by default; etcd's
 *     default is 128). Callers size their transactions by {@link EmbeddedStore#limits()}, so
 *     code that works here also works on etcd, in smaller transactions
 * @param maxTxnBytes the most bytes of keys and values one transaction branch may put (16 MiB by
 *     default). A transaction is one write-ahead log record holding its new values and the
 *     values they replace, and a record must stay well under the log's record cap
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
    Duration maintenanceInterval, boolean syncOnCommit, int maxTxnOps, long maxTxnBytes,
    int watchQueueLimit, int cacheSizeMb, Duration checkpointInterval) {

  /** The default {@link #maxTxnOps()}. */
  public static final int DEFAULT_MAX_TXN_OPS = 10_000;
  /** The default {@link #maxTxnBytes()}. */
  public static final long DEFAULT_MAX_TXN_BYTES = 16L << 20;
  /** The largest {@link #maxTxnBytes()} allowed: with the replaced values, a log record stays under 256 MiB. */
  public static final long MAX_TXN_BYTES_CEILING = 64L << 20;

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
    if (maxTxnBytes < 1 || maxTxnBytes > MAX_TXN_BYTES_CEILING) {
      throw new IllegalArgumentException("maxTxnBytes: must be between 1 and " + MAX_TXN_BYTES_CEILING
          + ", was " + maxTxnBytes);
    }
    if (watchQueueLimit < 1) {
      throw new IllegalArgumentException("watchQueueLimit: must be >= 1, was " + watchQueueLimit);
    }
    if (cacheSizeMb < 1) {
      throw new IllegalArgumentException("cacheSizeMb: must be >= 1, was " + cacheSizeMb);
    }
  }

  /**
   * System clock, 10,000 revisions of history, maintenance every 250 ms, fsync, 10,000 ops and
   * 16 MiB per branch, 10,000 queued revisions per watch, 128 MB of cache, a checkpoint every second.
   */
  public static EmbeddedStoreOptions defaults() {
    return new EmbeddedStoreOptions(InstantSource.system(), 10_000, Duration.ofMillis(250), true,
        DEFAULT_MAX_TXN_OPS, DEFAULT_MAX_TXN_BYTES, 10_000, 128, Duration.ofSeconds(1));
  }

  public EmbeddedStoreOptions withClock(InstantSource clock) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, syncOnCommit,
        maxTxnOps, maxTxnBytes, watchQueueLimit, cacheSizeMb, checkpointInterval);
  }

  public EmbeddedStoreOptions withHistoryRetention(long revisions) {
    return new EmbeddedStoreOptions(clock, revisions, maintenanceInterval, syncOnCommit,
        maxTxnOps, maxTxnBytes, watchQueueLimit, cacheSizeMb, checkpointInterval);
  }

  public EmbeddedStoreOptions withSyncOnCommit(boolean sync) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, sync,
        maxTxnOps, maxTxnBytes, watchQueueLimit, cacheSizeMb, checkpointInterval);
  }

  public EmbeddedStoreOptions withWatchQueueLimit(int limit) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, syncOnCommit,
        maxTxnOps, maxTxnBytes, limit, cacheSizeMb, checkpointInterval);
  }

  public EmbeddedStoreOptions withCacheSizeMb(int mb) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, syncOnCommit,
        maxTxnOps, maxTxnBytes, watchQueueLimit, mb, checkpointInterval);
  }

  public EmbeddedStoreOptions withCheckpointInterval(Duration interval) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, syncOnCommit,
        maxTxnOps, maxTxnBytes, watchQueueLimit, cacheSizeMb, interval);
  }

  /** Transactions of at most {@code ops} operations and {@code bytes} of keys and values per branch. */
  public EmbeddedStoreOptions withTxnLimits(int ops, long bytes) {
    return new EmbeddedStoreOptions(clock, historyRetention, maintenanceInterval, syncOnCommit,
        ops, bytes, watchQueueLimit, cacheSizeMb, checkpointInterval);
  }
}
