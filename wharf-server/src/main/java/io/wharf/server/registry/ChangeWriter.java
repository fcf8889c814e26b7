package io.wharf.server.registry;

import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventLog;
import io.wharf.server.sequenced.SequencedLog;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.StoreLimits;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * The one path by which the API writes resources: a read-decide-commit loop where the decision
 * is a set of revision compares and writes, committed in one transaction together with the
 * events that record it.
 *
 * <p>When the transaction's compares fail, the attempt runs again on fresh reads: it decides
 * whether the failure is the caller's (a stale revision it was given, which it reports as a
 * value) or just a race with another writer, which the next round resolves.
 *
 * <p>Thread safety: safe for many threads. Writes of one server are serialized by a
 * {@link ReentrantLock} held across the store call (so the event counter is never contended
 * inside one process); writers on other servers are kept apart by the compares.
 */
public final class ChangeWriter {
  static final int MAX_ATTEMPTS = 16;

  private final Store store;
  private final EventLog events;
  private final InstantSource clock;
  private final ReentrantLock lock;
  private final Fence fence;
  private final Audit audit;

  public ChangeWriter(Store store, EventLog events, InstantSource clock) {
    this(store, events, clock, Fence.NONE, new ReentrantLock(), Audit.NONE);
  }

  private ChangeWriter(Store store, EventLog events, InstantSource clock, Fence fence, ReentrantLock lock,
      Audit audit) {
    this.store = store;
    this.events = events;
    this.clock = clock;
    this.fence = Objects.requireNonNull(fence, "fence");
    this.lock = lock;
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /**
   * A writer that offers every transaction to {@code audit}, which may add the audit entry of the
   * API request being served to it (so an acknowledged change never lacks its entry). It shares
   * this writer's lock, so one server still has one writer.
   */
  public ChangeWriter withAudit(Audit audit) {
    return new ChangeWriter(store, events, clock, fence, lock, audit);
  }

  /**
   * Records changes in the transaction that makes them (the audit log). Called under the writer's
   * lock, so an implementation may cache a counter as {@link EventLog} does.
   */
  public interface Audit {
    Audit NONE = (ops, compares, budgetBytes, now) -> null;

    /**
     * What to add to a transaction of {@code ops} and {@code compares}, or null when it is not
     * audited; the recording's puts should stay within {@code budgetBytes}.
     */
    Recording prepare(List<Txn.Op> ops, List<Txn.Compare> compares, long budgetBytes, Instant now);

    /** Compares and writes to add; told whether the transaction committed. */
    interface Recording {
      List<Txn.Compare> compares();

      List<Txn.Op> ops();

      void committed(long revision);

      /** The transaction failed or its outcome is unknown. */
      void failed();
    }
  }

  /** Operations an audited transaction needs beyond its own: the entry and its counter. */
  public static final int AUDIT_OPS = 2;

  /**
   * A writer whose every transaction also carries {@code fence}'s compares: the leader's
   * controllers write through one, so a server that lost leadership cannot commit. It shares
   * this writer's lock and event counter, so one server still has one writer.
   */
  public ChangeWriter withFence(Fence fence) {
    return new ChangeWriter(store, events, clock, fence, lock, audit);
  }

  /**
   * Compares added to every transaction; may throw (a {@link RuntimeException}) to refuse the
   * write outright when the writer knows it may no longer write.
   */
  @FunctionalInterface
  public interface Fence {
    Fence NONE = List::of;

    List<Txn.Compare> compares();
  }

  /** What an attempt decided after reading current state. */
  public sealed interface Step<T> {}

  /** Nothing to write; the answer is {@code value}. */
  public record Done<T>(T value) implements Step<T> {}

  /** Write {@code ops} if every compare holds; {@code onCommitted} maps the new revision to the answer. */
  public record Commit<T>(List<Txn.Compare> compares, List<Txn.Op> ops, List<EventDraft> events,
      LongFunction<T> onCommitted) implements Step<T> {
    public Commit {
      compares = List.copyOf(compares);
      ops = List.copyOf(ops);
      events = List.copyOf(events);
      Objects.requireNonNull(onCommitted, "onCommitted");
    }
  }

  /** One round: read current state, decide. Runs again when the commit lost a race. */
  @FunctionalInterface
  public interface Attempt<T> {
    Step<T> decide(Instant now);
  }

  /** The store kept changing under every attempt; the client should retry. */
  public static final class ContentionException extends StoreException {
    public ContentionException(int attempts) {
      super("the objects kept changing during " + attempts + " attempts; retry");
    }
  }

  /** The change is bigger than one transaction may be; it was not written. */
  public static final class TooLargeException extends RuntimeException {
    public TooLargeException(long bytes, long max) {
      super("the change is " + bytes + " bytes; one store transaction holds at most " + max + " bytes",
          null, false, false);
    }
  }

  /**
   * How big one transaction may be: the store's own limits (etcd's {@code --max-txn-ops} and
   * {@code --max-request-bytes} as configured, or the embedded store's options). A change is
   * sized against them, never against a fixed figure, so a store that allows big transactions
   * gets them.
   */
  public StoreLimits limits() {
    return store.limits();
  }

  public <T> T write(Attempt<T> attempt) {
    lock.lock();
    try {
      for (int i = 0; i < MAX_ATTEMPTS; i++) {
        Instant now = clock.instant();
        Step<T> step = attempt.decide(now);
        if (step instanceof Done<T> done) {
          return done.value();
        }
        Commit<T> commit = (Commit<T>) step;
        List<Txn.Compare> compares = new ArrayList<>(commit.compares());
        compares.addAll(fence.compares());
        List<Txn.Op> ops = new ArrayList<>(commit.ops());
        SequencedLog.Sequence sequence = null;
        if (!commit.events().isEmpty()) {
          sequence = events.current();
          compares.add(events.compare(sequence));
          ops.addAll(events.ops(sequence, commit.events(), now));
        }
        long bytes = 0;
        for (Txn.Op op : ops) {
          if (op instanceof Txn.Put put) {
            bytes += put.key().length() + put.value().length;
          }
        }
        long maxBytes = store.limits().maxTxnBytes();
        if (bytes > maxBytes) {
          throw new TooLargeException(bytes, maxBytes);
        }
        Audit.Recording recording = audit.prepare(commit.ops(), compares, maxBytes - bytes, now);
        if (recording != null) {
          compares.addAll(recording.compares());
          ops.addAll(recording.ops());
        }
        TxnResult result;
        try {
          result = store.txn(Txn.of(compares, ops));
        } catch (RuntimeException e) {
          events.forget();
          if (recording != null) {
            recording.failed();
          }
          throw e;
        }
        if (result.succeeded()) {
          if (sequence != null) {
            events.committed(sequence, commit.events().size(), result.revision());
          }
          if (recording != null) {
            recording.committed(result.revision());
          }
          return commit.onCommitted().apply(result.revision());
        }
        events.forget();
        if (recording != null) {
          recording.failed();
        }
      }
      throw new ContentionException(MAX_ATTEMPTS);
    } finally {
      lock.unlock();
    }
  }
}
