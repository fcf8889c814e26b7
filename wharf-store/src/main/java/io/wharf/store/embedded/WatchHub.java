package io.wharf.store.embedded;

import io.wharf.store.StoreException;
import io.wharf.store.Watch;
import io.wharf.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans committed revisions out to watches, off the writers' threads.
 *
 * <p>The store hands every durable batch of revisions to {@link #publish}, in revision order.
 * One dispatcher thread offers each batch to every open watch under {@link #lock}, and records
 * the last revision dispatched. A new watch registers under the same lock and learns that
 * revision: everything at or below it it replays from history, everything above reaches it
 * live — so nothing falls between replay and live delivery and nothing arrives twice.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
final class WatchHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchHub.class);
  private static final List<RevisionEvents> POISON = List.of();

  /** Where replays read old revisions from. Implementations are thread-safe. */
  interface History {
    /** Revisions at or below this one are gone. */
    long compactedRevision();

    /** The committed revisions in {@code [from, to]}, in order. */
    List<RevisionEvents> read(long from, long to);
  }

  private final History history;
  private final int maxQueuedRevisions;
  private final LinkedBlockingQueue<List<RevisionEvents>> inbox = new LinkedBlockingQueue<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final List<EmbeddedWatch> watches = new ArrayList<>(); // guarded by lock
  private long dispatchedRevision; // guarded by lock
  private boolean closed; // guarded by lock
  private final Thread dispatcher;

  /**
   * @param dispatchedRevision the store's durable revision at open: history holds everything
   *     up to it
   * @param maxQueuedRevisions how many undelivered revisions a watch may queue before it falls
   *     back to replaying from history (a slow listener then costs reads, not memory)
   */
  WatchHub(History history, long dispatchedRevision, int maxQueuedRevisions) {
    this.history = history;
    this.dispatchedRevision = dispatchedRevision;
    this.maxQueuedRevisions = maxQueuedRevisions;
    this.dispatcher = Thread.ofVirtual().name("wharf-store-watch-dispatch").start(this::dispatchLoop);
  }

  /** Hands a durable batch of revisions over for delivery; never blocks. */
  void publish(List<RevisionEvents> batch) {
    if (!batch.isEmpty()) {
      inbox.add(batch);
    }
  }

  /**
   * Opens a watch delivering revisions {@code >= fromRevision}; {@code fromRevision} has been
   * resolved by the caller (never 0).
   */
  Watch open(String prefix, long fromRevision, WatchListener listener) {
    lock.lock();
    try {
      if (closed) {
        throw new StoreException("embedded store is closed");
      }
      EmbeddedWatch w = new EmbeddedWatch(this, history, prefix, fromRevision, dispatchedRevision,
          maxQueuedRevisions, listener);
      watches.add(w);
      w.start();
      return w;
    } finally {
      lock.unlock();
    }
  }

  void remove(EmbeddedWatch w) {
    lock.lock();
    try {
      watches.remove(w);
    } finally {
      lock.unlock();
    }
  }

  int openWatches() {
    lock.lock();
    try {
      return watches.size();
    } finally {
      lock.unlock();
    }
  }

  private void dispatchLoop() {
    while (true) {
      List<RevisionEvents> batch;
      try {
        batch = inbox.take();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == POISON) {
        return;
      }
      lock.lock();
      try {
        long last = batch.get(batch.size() - 1).revision();
        for (EmbeddedWatch w : watches) {
          w.offer(batch, last);
        }
        dispatchedRevision = last;
      } catch (RuntimeException e) {
        log.error("watch dispatch failed", e);
      } finally {
        lock.unlock();
      }
    }
  }

  /** Ends every watch with {@link WatchListener#onError} and stops the dispatcher. */
  @Override
  public void close() {
    List<EmbeddedWatch> ending;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      ending = new ArrayList<>(watches);
      watches.clear();
    } finally {
      lock.unlock();
    }
    inbox.add(POISON);
    for (EmbeddedWatch w : ending) {
      w.end(new StoreException("embedded store is closed"));
    }
    try {
      dispatcher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
