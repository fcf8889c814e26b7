package io.wharf.server.leader;

import io.wharf.store.LeaseId;
import io.wharf.store.Txn;
import java.util.Objects;

/**
 * One server's leadership: the lease holding the leader key and the revision that created the
 * key. The key is never rewritten while the term lasts, so "its modification revision is still
 * {@code revision}" is true exactly while this term lasts — the fencing compare.
 */
public record Term(long revision, LeaseId lease) {
  public Term {
    Objects.requireNonNull(lease, "lease");
    if (revision <= 0) {
      throw new IllegalArgumentException("revision must be > 0, got " + revision);
    }
  }

  /** Holds only while this term's leader key is still in the store, untouched. */
  public Txn.Compare fence() {
    return new Txn.Compare(LeaderElection.KEY, revision);
  }
}
