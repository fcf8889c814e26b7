package io.wharf.store;

import java.time.Duration;
import java.util.Optional;

/**
 * A revisioned key-value store with etcd's semantics.
 *
 * <p>The store has one global revision counter. Every committed transaction that changes
 * at least one key advances it by exactly one; every key records the revision that created
 * it ({@link KeyValue#createRevision()}), the revision that last changed it
 * ({@link KeyValue#modRevision()}) and how many times it changed since creation
 * ({@link KeyValue#version()}).
 *
 * <p>Thread safety: implementations are safe for use by many threads at once. A write is
 * durable when the call returns (the embedded backend has synced it to disk; etcd has
 * committed it through raft).
 *
 * <p>Errors: every method may throw {@link StoreException}; {@link CompactedException} when a
 * revision asked for has been compacted away, {@link LeaseNotFoundException} for an unknown or
 * expired lease.
 */
public interface Store extends AutoCloseable {

  /** The value under {@code key} as of now, or empty. */
  Optional<KeyValue> get(String key);

  /**
   * Keys starting with {@code prefix} in key order, beginning strictly after {@code startAfter}
   * (null or empty for the first page), at most {@code limit} of them ({@code 0} for no limit).
   * The result says the store revision it was read at and whether more keys follow.
   */
  RangeResult range(String prefix, String startAfter, int limit);

  /** All keys under {@code prefix}. */
  default RangeResult range(String prefix) {
    return range(prefix, null, 0);
  }

  /**
   * Commits atomically: when every compare holds, applies {@link Txn#onSuccess()} operations,
   * otherwise {@link Txn#onFailure()} operations. Either way the whole transaction is one step.
   */
  TxnResult txn(Txn txn);

  /**
   * Streams every change to keys under {@code prefix} with revision {@code >= fromRevision}
   * ({@code 0} means "from the next change"), in revision order, each change exactly once, to
   * {@code listener} on a thread the store owns. When {@code fromRevision} is at or below the
   * compacted revision, the listener gets {@link WatchListener#onCompacted(long)} and the watch
   * ends: the caller must relist with {@link #range} and watch again from the list's revision
   * plus one.
   */
  Watch watch(String prefix, long fromRevision, WatchListener listener);

  /** Grants a lease that expires {@code ttl} after its last keep-alive. */
  LeaseId grantLease(Duration ttl);

  /**
   * Renews the lease's TTL; returns the TTL granted.
   *
   * @throws LeaseNotFoundException when the lease is unknown or already expired
   */
  Duration keepAlive(LeaseId lease);

  /** Revokes the lease now, deleting every key attached to it. Unknown leases are ignored. */
  void revokeLease(LeaseId lease);

  /**
   * How big one transaction may be; a bigger one is refused with
   * {@link IllegalArgumentException} and changes nothing. Backends report what they are
   * configured for; the default is etcd's out-of-the-box limits.
   */
  default StoreLimits limits() {
    return StoreLimits.ETCD_DEFAULTS;
  }

  /** The store's current revision. */
  long revision();

  /**
   * Forgets history at or below {@code revision}: later watches from such revisions fail with
   * {@link WatchListener#onCompacted(long)}. Current values are kept.
   */
  void compact(long revision);

  /** Releases connections, threads and files. Open watches end. */
  @Override
  void close();
}
