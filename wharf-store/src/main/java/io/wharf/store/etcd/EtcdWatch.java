package io.wharf.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.StoreException;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store watch over a succession of jetcd watchers.
 *
 * <p>Exactly-once across reconnects: {@code lastSeen} is the revision of the last event handed
 * to the listener (or the revision before the first one wanted). Every jetcd watcher starts at
 * {@code lastSeen} itself, not {@code lastSeen + 1}, and events at or below {@code lastSeen} are
 * dropped. Starting one revision early makes etcd answer "compacted" exactly when the contract
 * says so: etcd keeps revision {@code r} readable after {@code compact(r)}, the store contract
 * does not.
 *
 * <p>jetcd's own watcher resumes after some failures but not all (a stream that just ends is
 * never resumed) and may resume from the wrong revision, so every failure or end of a watcher
 * closes it and this class opens a new one from {@code lastSeen}, with backoff, until
 * {@code reconnectWindow} passes without an answer from etcd.
 *
 * <p>Threads: jetcd calls back on its event loop; those callbacks only convert and enqueue.
 * The listener runs on this watch's own virtual thread, one call at a time, in revision order.
 * The queue between the two is unbounded: a listener slower than etcd's write rate for a long
 * time grows memory rather than stalling jetcd's event loop, which other calls share.
 * State is guarded by {@link #lock}; {@link #generation} tells callbacks of replaced watchers
 * apart from the current one.
 */
final class EtcdWatch implements Watch {
  private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 1000;
  private static final Runnable STOP = () -> {};

  private final io.etcd.jetcd.Watch client;
  private final Keyspace keys;
  private final String prefix;
  private final WatchListener listener;
  private final EtcdFailures failures;
  private final Duration reconnectWindow;
  private final Duration answerTimeout;
  private final ScheduledExecutorService timers;
  private final Consumer<EtcdWatch> onEnd;
  private final BlockingQueue<Runnable> deliveries = new LinkedBlockingQueue<>();

  private final ReentrantLock lock = new ReentrantLock();
  private long lastSeen;
  private long generation;
  /** Whether etcd has answered the current watcher (created it, or sent events). */
  private boolean answered;
  private io.etcd.jetcd.Watch.Watcher watcher;
  private boolean ended;
  private volatile boolean closed;
  /** When the first failure since the last answer from etcd happened; -1 while connected. */
  private long failingSinceNanos = -1;
  private int failuresInARow;

  EtcdWatch(io.etcd.jetcd.Watch client, Keyspace keys, String prefix, long lastSeen, WatchListener listener,
      EtcdFailures failures, Duration reconnectWindow, Duration answerTimeout, ScheduledExecutorService timers,
      Consumer<EtcdWatch> onEnd) {
    this.client = client;
    this.keys = keys;
    this.prefix = prefix;
    this.lastSeen = lastSeen;
    this.listener = listener;
    this.failures = failures;
    this.reconnectWindow = reconnectWindow;
    this.answerTimeout = answerTimeout;
    this.timers = timers;
    this.onEnd = onEnd;
    Thread.ofVirtual().name("wharf-etcd-watch " + prefix).start(this::deliverLoop);
  }

  /**
   * Opens a jetcd watcher from {@link #lastSeen}. jetcd is called outside {@link #lock}: it
   * calls back into this class while holding its own lock.
   */
  void open() {
    long myGeneration;
    WatchOption option;
    lock.lock();
    try {
      if (ended) {
        return;
      }
      myGeneration = ++generation;
      answered = false;
      option = WatchOption.builder()
          .withCreateNotify(true)
          .withRange(keys.rangeEnd(prefix))
          .withRevision(Math.max(1, lastSeen))
          .withPrevKV(true)
          .build();
    } finally {
      lock.unlock();
    }
    io.etcd.jetcd.Watch.Watcher opened;
    try {
      opened = client.watch(keys.rangeStart(prefix), option, new io.etcd.jetcd.Watch.Listener() {
        @Override
        public void onNext(WatchResponse response) {
          received(myGeneration, response);
        }

        @Override
        public void onError(Throwable failure) {
          failed(myGeneration, failure);
        }

        @Override
        public void onCompleted() {
          failed(myGeneration, null);
        }
      });
    } catch (RuntimeException e) {
      // jetcd refuses synchronously only when its client is closed.
      end(failures.translate("watch " + prefix, e, null));
      return;
    }
    boolean current;
    lock.lock();
    try {
      current = !ended && myGeneration == generation;
      if (current) {
        watcher = opened;
      }
    } finally {
      lock.unlock();
    }
    if (!current) {
      closeQuietly(opened);
      return;
    }
    // A watcher on a dead connection may neither answer nor fail; treat silence as a failure.
    schedule(() -> {
      boolean silent;
      lock.lock();
      try {
        silent = myGeneration == generation && !answered;
      } finally {
        lock.unlock();
      }
      if (silent) {
        failed(myGeneration, failures.timedOut("watch " + prefix, answerTimeout));
      }
    }, answerTimeout.toMillis());
  }

  /** Stops delivery; the listener gets no further calls. Idempotent. */
  @Override
  public void close() {
    closed = true;
    finish(null);
  }

  /** Ends the watch, telling the listener {@code cause} after the events already received. */
  void end(StoreException cause) {
    finish(() -> listener.onError(cause));
  }

  private void received(long myGeneration, WatchResponse response) {
    lock.lock();
    try {
      if (ended || myGeneration != generation) {
        return;
      }
      answered = true;
      failingSinceNanos = -1;
      failuresInARow = 0;
      List<WatchEvent> events = new ArrayList<>(response.getEvents().size());
      for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
        WatchEvent event = toEvent(e);
        if (event != null && event.revision() > lastSeen) {
          events.add(event);
        }
      }
      if (!events.isEmpty()) {
        lastSeen = events.get(events.size() - 1).revision();
        List<WatchEvent> batch = List.copyOf(events);
        deliveries.add(() -> listener.onEvents(batch));
      }
    } finally {
      lock.unlock();
    }
  }

  /** A watcher failed ({@code failure}) or its stream ended ({@code null}). */
  private void failed(long myGeneration, Throwable failure) {
    lock.lock();
    try {
      if (ended || myGeneration != generation) {
        return;
      }
      Throwable cause = failure == null ? null : EtcdFailures.unwrap(failure);
      if (cause instanceof io.etcd.jetcd.common.exception.CompactedException compacted) {
        long revision = compacted.getCompactedRevision();
        schedule(closing(finishLocked(() -> listener.onCompacted(revision))), 0);
        return;
      }
      if (cause != null && EtcdFailures.isRefusal(cause)) {
        StoreException refused = failures.translate("watch " + prefix, cause, null);
        schedule(closing(finishLocked(() -> listener.onError(refused))), 0);
        return;
      }
      long now = System.nanoTime();
      if (failingSinceNanos < 0) {
        failingSinceNanos = now;
      }
      if (now - failingSinceNanos > reconnectWindow.toNanos()) {
        StoreException gaveUp = new StoreException("etcd unavailable at " + failures.endpoints
            + ": watch on '" + prefix + "' could not reconnect within " + reconnectWindow, cause);
        schedule(closing(finishLocked(() -> listener.onError(gaveUp))), 0);
        return;
      }
      // Invalidate the failed watcher now; its late callbacks are ignored from here on.
      generation++;
      long backoff = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(failuresInARow, 4));
      failuresInARow++;
      log.debug("watch on '{}' lost its stream ({}); reopening from revision {} in {} ms", prefix,
          cause == null ? "stream ended" : cause.getMessage(), lastSeen, backoff);
      io.etcd.jetcd.Watch.Watcher failedWatcher = watcher;
      watcher = null;
      schedule(closing(failedWatcher), 0);
      schedule(this::open, backoff);
    } finally {
      lock.unlock();
    }
  }

  private void schedule(Runnable task, long delayMillis) {
    try {
      timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException storeClosed) {
      // The store is closing; it ends this watch itself.
    }
  }

  private void finish(Runnable lastCall) {
    io.etcd.jetcd.Watch.Watcher last;
    lock.lock();
    try {
      if (ended) {
        return;
      }
      last = finishLocked(lastCall);
    } finally {
      lock.unlock();
    }
    closeQuietly(last);
  }

  /** Marks the watch ended and queues its last call; returns the watcher the caller must close. */
  private io.etcd.jetcd.Watch.Watcher finishLocked(Runnable lastCall) {
    ended = true;
    generation++;
    io.etcd.jetcd.Watch.Watcher last = watcher;
    watcher = null;
    if (closed) {
      deliveries.clear();
    } else if (lastCall != null) {
      deliveries.add(lastCall);
    }
    deliveries.add(STOP);
    onEnd.accept(this);
    return last;
  }

  private void deliverLoop() {
    while (true) {
      Runnable next;
      try {
        next = deliveries.take();
      } catch (InterruptedException e) {
        return;
      }
      if (next == STOP) {
        return;
      }
      if (closed) {
        continue;
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.warn("watch listener on '{}' threw; the watch goes on", prefix, e);
      }
    }
  }

  private WatchEvent toEvent(io.etcd.jetcd.watch.WatchEvent e) {
    KeyValue kv = toKeyValue(e.getKeyValue());
    KeyValue prev = e.getPrevKV() == null || e.getPrevKV().getKey().isEmpty() ? null : toKeyValue(e.getPrevKV());
    return switch (e.getEventType()) {
      case PUT -> new WatchEvent(WatchEvent.Type.PUT, kv, prev);
      case DELETE -> new WatchEvent(WatchEvent.Type.DELETE, kv, prev);
      case UNRECOGNIZED -> null;
    };
  }

  private KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
    return new KeyValue(keys.strip(kv.getKey()), kv.getValue().getBytes(), kv.getCreateRevision(),
        kv.getModRevision(), kv.getVersion(), kv.getLease() == 0 ? LeaseId.NONE : new LeaseId(kv.getLease()));
  }

  private static Runnable closing(io.etcd.jetcd.Watch.Watcher w) {
    return () -> closeQuietly(w);
  }

  private static void closeQuietly(io.etcd.jetcd.Watch.Watcher w) {
    if (w == null) {
      return;
    }
    try {
      w.close();
    } catch (RuntimeException e) {
      log.debug("closing a jetcd watcher failed", e);
    }
  }
}
