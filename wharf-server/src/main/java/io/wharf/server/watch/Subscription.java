package io.wharf.server.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's stream of changes: a bounded queue filled by a producer (the hub's store watch,
 * or a dedicated store watch for a client resuming from old history) and drained by the
 * client's own writer thread.
 *
 * <p>The hub's producer never blocks ({@link #deliver}): when the client has {@code capacity}
 * revisions waiting, it is dropped ({@link End.Reason#OVERFLOW}); what it already has queued is
 * still delivered, then the end, so it can resume from the last id it saw. An end always fits.
 * A dedicated store watch serves only this client, so it waits for room instead
 * ({@link #deliverWaiting}): a slow reader slows only its own watch.
 *
 * <p>Thread safety: one producer thread at a time, one consumer thread.
 */
public final class Subscription implements AutoCloseable {

  /** What the consumer takes from the queue. */
  public sealed interface Item {}

  /** The changes of one revision that match the filter, in commit order. */
  public record Batch(long revision, List<Change> changes) implements Item {
    public Batch {
      changes = List.copyOf(changes);
    }
  }

  /** The stream ends after this item. {@code compactRevision} is set for {@link Reason#COMPACTED}. */
  public record End(Reason reason, long compactRevision, String message) implements Item {
    public enum Reason { COMPACTED, OVERFLOW, SHUTDOWN, ERROR }
  }

  private final WatchFilter filter;
  private final long fromRevision;
  private final int capacity;
  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  // One permit per queued batch the client may still take; ends need none.
  private final Semaphore room;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Runnable onClose = () -> {};

  Subscription(WatchFilter filter, long fromRevision, int capacity) {
    this.filter = filter;
    this.fromRevision = fromRevision;
    this.capacity = capacity;
    this.room = new Semaphore(capacity);
  }

  public WatchFilter filter() {
    return filter;
  }

  void onClose(Runnable action) {
    this.onClose = action;
  }

  /**
   * Offers the matching part of one revision's changes; false when the client was dropped
   * because its queue is full (or it had already ended).
   */
  boolean deliver(long revision, List<Change> changes) {
    if (ended.get()) {
      return false;
    }
    List<Change> mine = mine(revision, changes);
    if (mine.isEmpty()) {
      return true;
    }
    if (!room.tryAcquire()) {
      end(End.Reason.OVERFLOW, 0, "client fell more than " + capacity
          + " revisions behind; reconnect with Last-Event-ID to resume");
      return false;
    }
    queue.add(new Batch(revision, mine));
    return true;
  }

  /** Like {@link #deliver} but waits for room; false once the client has ended. */
  boolean deliverWaiting(long revision, List<Change> changes) throws InterruptedException {
    List<Change> mine = mine(revision, changes);
    if (mine.isEmpty()) {
      return !ended.get();
    }
    while (!room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
      if (ended.get()) {
        return false;
      }
    }
    if (ended.get()) {
      return false;
    }
    queue.add(new Batch(revision, mine));
    return true;
  }

  private List<Change> mine(long revision, List<Change> changes) {
    List<Change> mine = new ArrayList<>();
    if (revision < fromRevision) {
      return mine;
    }
    for (Change c : changes) {
      if (filter.matches(c)) {
        mine.add(c);
      }
    }
    return mine;
  }

  /** How many of {@code batches} this client would receive. */
  int matching(Iterable<Batch> batches) {
    int n = 0;
    for (Batch b : batches) {
      if (!mine(b.revision(), b.changes()).isEmpty()) {
        n++;
      }
    }
    return n;
  }

  /** Ends the stream once; later deliveries are ignored. */
  void end(End.Reason reason, long compactRevision, String message) {
    if (ended.compareAndSet(false, true)) {
      queue.add(new End(reason, compactRevision, message));
    }
  }

  public boolean ended() {
    return ended.get();
  }

  /** The next item, or null after {@code timeout} with nothing to send. */
  public Item poll(Duration timeout) throws InterruptedException {
    Item item = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (item instanceof Batch) {
      room.release();
    }
    return item;
  }

  /** The client went away: stop producing for it. */
  @Override
  public void close() {
    ended.set(true);
    onClose.run();
  }
}
