package io.wharf.store;

/**
 * How big one transaction may be on a store. Callers that build large transactions (a whole
 * stack applied at once) size them by these figures instead of assuming a backend's defaults.
 *
 * @param maxTxnOps the most operations one transaction may hold; on etcd this bounds the
 *     compares and each branch separately ({@code --max-txn-ops}, 128 by default)
 * @param maxTxnBytes the most bytes of keys and values the puts of one transaction may carry
 *     (etcd refuses whole requests over {@code --max-request-bytes}, 1.5 MiB by default, so a
 *     store on etcd reports somewhat less to leave room for the request's other fields)
 */
public record StoreLimits(int maxTxnOps, long maxTxnBytes) {

  /** etcd's defaults: 128 operations, and 1 MiB of keys and values (of its 1.5 MiB requests). */
  public static final StoreLimits ETCD_DEFAULTS = new StoreLimits(128, 1L << 20);

  public StoreLimits {
    if (maxTxnOps < 1) {
      throw new IllegalArgumentException("maxTxnOps: must be >= 1, was " + maxTxnOps);
    }
    if (maxTxnBytes < 1) {
      throw new IllegalArgumentException("maxTxnBytes: must be >= 1, was " + maxTxnBytes);
    }
  }
}
