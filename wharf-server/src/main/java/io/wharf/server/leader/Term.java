package io.wharf.server.leader;

import io.wharf.store.LeaseId;
import io.wharf.store.Txn;
import java.util.List;
import java.util.Objects;

/**
 * One server's leadership: the lease holding the leader key and the revision that created the
 * key. The key is never rewritten while the term lasts, so "its modification revision is still
 * {@code revision}" is true exactly while this term lasts — the fencing compare. The
 * {@link #SOLE} term of the only server a store can have (embedded) has no key and no fence.
 */
public record Term(long revision, LeaseId lease) {
  public static final Term SOLE = new Term(0, LeaseId.NONE);

  public Term {
    Objects.requireNonNull(lease, "lease");
    if (revision < 0) {
      throw new IllegalArgumentException("revision must be >= 0, got " + revision);
    }
  }

  /** Compares that hold only while this term's leader key is still in the store, untouched. */
  public List<Txn.Compare> fence() {
    return revision == 0 ? List.of() : List.of(new Txn.Compare(LeaderElection.KEY, revision));
  }
}
