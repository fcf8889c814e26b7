package io.wharf.server.sequenced;

import io.wharf.server.sequenced.SequencedLog.Sequence;
import io.wharf.store.Store;

/**
 * One writer's view of a {@link SequencedLog}'s counter: read from the store once, then advanced
 * by the writer's own commits, so an append costs no read. A transaction that failed (or whose
 * outcome is unknown) makes the writer {@link #forget} it; the next {@link #current} reads again.
 * Another server's appends make this writer's next compare fail, which is when it forgets.
 *
 * <p>Thread safety: not thread-safe. Used only by the single writer that holds
 * {@link io.wharf.server.registry.ChangeWriter}'s lock.
 */
public final class SequenceCounter {
  private final Store store;
  private final SequencedLog log;
  private Sequence cached;

  public SequenceCounter(Store store, SequencedLog log) {
    this.store = store;
    this.log = log;
  }

  public Sequence current() {
    if (cached == null) {
      cached = log.read(store);
    }
    return cached;
  }

  /** The transaction that appended {@code count} entries after {@code sequence} committed at {@code revision}. */
  public void committed(Sequence sequence, int count, long revision) {
    cached = new Sequence(sequence.last() + count, revision);
  }

  /** The cached counter may be stale (a transaction failed or its outcome is unknown). */
  public void forget() {
    cached = null;
  }
}
