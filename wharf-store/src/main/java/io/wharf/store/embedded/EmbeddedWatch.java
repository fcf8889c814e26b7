package io.wharf.store.embedded;

import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: a queue of live revisions plus a delivery thread that calls the listener.
 *
 * <p>The watch is in one of two modes. <em>Catching up</em>: it replays revisions
 * {@code nextRevision..catchUpTo} from history, page by page; batches the dispatcher offers
 * meanwhile only raise {@code catchUpTo}. <em>Live</em>: offered batches are queued and
 * delivered in order. A new watch starts catching up to the revision last dispatched when it
 * registered; a live watch whose queue grows past its bound drops the queue and catches up
 * again from history. Both modes change only under {@link #lock}, and the dispatcher offers
 * under it too, so every revision reaches the listener once, in order. A replay that finds its
 * next revision compacted ends the watch with {@link WatchListener#onCompacted}.
 *
 * <p>Thread safety: {@link #offer} runs on the dispatcher, {@link #close} on any thread; the
 * listener is only ever called from this watch's delivery thread.
 */
final class EmbeddedWatch implements Watch {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedWatch.class);
  private static final int REPLAY_PAGE = 256;

  private final WatchHub hub;
  private final WatchHub.History history;
  private final String prefix;
  private final int maxQueued;
  private final WatchListener listener;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<RevisionEvents> queue = new ArrayDeque<>(); // guarded by lock
  private boolean catchingUp = true; // guarded by lock
  private long catchUpTo; // guarded by lock
  private boolean closed; // guarded by lock
  private Throwable endCause; // guarded by lock
  /** The next revision the listener should see; written only by the delivery thread. */
  private long nextRevision;

  EmbeddedWatch(WatchHub hub, WatchHub.History history, String prefix, long fromRevision,
      long catchUpTo, int maxQueued, WatchListener listener) {
    this.hub = hub;
    this.history = history;
    this.prefix = prefix;
    this.nextRevision = fromRevision;
    this.catchUpTo = catchUpTo;
    this.maxQueued = maxQueued;
    this.listener = listener;
  }

  void start() {
    Thread.ofVirtual().name("wharf-store-watch " + prefix).start(this::deliverLoop);
  }

  /** Called by the dispatcher, in revision order, with a durable batch ending at {@code last}. */
  void offer(List<RevisionEvents> batch, long last) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (catchingUp) {
        catchUpTo = last;
      } else {
        for (RevisionEvents r : batch) {
          if (!r.under(prefix).isEmpty()) {
            queue.add(r);
          }
        }
        if (queue.size() > maxQueued) {
          queue.clear();
          catchingUp = true;
          catchUpTo = last;
        }
      }
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  private void deliverLoop() {
    // A start at or below the compacted revision is compacted, whether or not the dispatcher
    // has caught up with the writes yet: checked before anything, so the live queue (which
    // still holds revisions the compaction has passed) can never answer it with events.
    long compactedAtStart = history.compactedRevision();
    if (compactedAtStart >= nextRevision) {
      endQuietly();
      listener.onCompacted(compactedAtStart);
      return;
    }
    try {
      while (true) {
        long replayTo = -1;
        List<RevisionEvents> live = null;
        boolean stop = false;
        Throwable cause = null;
        lock.lock();
        try {
          while (true) {
            if (closed) {
              break;
            }
            if (catchingUp) {
              if (nextRevision <= catchUpTo) {
                replayTo = Math.min(catchUpTo, nextRevision + REPLAY_PAGE - 1);
                break;
              }
              catchingUp = false;
            }
            if (!queue.isEmpty()) {
              live = new ArrayList<>(queue);
              queue.clear();
              break;
            }
            changed.await();
          }
          if (closed) {
            stop = true;
            cause = endCause;
          }
        } finally {
          lock.unlock();
        }
        if (stop) {
          if (cause != null) {
            listener.onError(cause);
          }
          return;
        }
        if (live == null) {
          long compacted = history.compactedRevision();
          List<RevisionEvents> page = compacted >= nextRevision ? null : history.read(nextRevision, replayTo);
          compacted = history.compactedRevision();
          if (page == null || compacted >= nextRevision) {
            endQuietly();
            listener.onCompacted(compacted);
            return;
          }
          deliver(page);
          nextRevision = Math.max(nextRevision, replayTo + 1);
        } else {
          deliver(live);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      Throwable cause = endCauseIfEnded();
      if (cause != null) {
        // The store closed under a replay; say so, not the read that failed because of it.
        listener.onError(cause);
        return;
      }
      log.warn("watch on {} failed; ending the watch", prefix, e);
      endQuietly();
      try {
        listener.onError(e);
      } catch (RuntimeException ignored) {
        // the listener already failed; nothing more to tell it
      }
    }
  }

  /** Delivers the revisions at or after {@link #nextRevision} under the prefix in one call. */
  private void deliver(List<RevisionEvents> revisions) {
    List<WatchEvent> events = new ArrayList<>();
    long last = -1;
    for (RevisionEvents r : revisions) {
      if (r.revision() < nextRevision) {
        continue;
      }
      events.addAll(r.under(prefix));
      last = r.revision();
    }
    if (last >= 0) {
      nextRevision = last + 1;
    }
    if (!events.isEmpty() && isOpen()) {
      listener.onEvents(events);
    }
  }

  /** The cause the store ended this watch with, or null while it has not. */
  private Throwable endCauseIfEnded() {
    lock.lock();
    try {
      return closed ? endCause : null;
    } finally {
      lock.unlock();
    }
  }

  private boolean isOpen() {
    lock.lock();
    try {
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the watch because the store is going away; the listener gets {@code cause}. */
  void end(Throwable cause) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      endCause = cause;
      queue.clear();
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  private void endQuietly() {
    lock.lock();
    try {
      closed = true;
      queue.clear();
    } finally {
      lock.unlock();
    }
    hub.remove(this);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      changed.signal();
    } finally {
      lock.unlock();
    }
    hub.remove(this);
  }
}
