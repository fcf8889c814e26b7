package io.wharf.server.controller;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue of keys, as client-go's workqueue: a key queued twice before a worker takes it is
 * processed once; a key is never handed to two workers at once (one queued while it is being
 * processed waits until {@link #done}); {@link #addRateLimited} queues it again after an
 * exponential {@link Backoff} that {@link #forget} resets. Delays are measured on the given
 * clock, so tests drive retries with a fake one ({@link #wake} after moving it).
 *
 * <p>Thread safety: safe for many threads; one {@link ReentrantLock} guards all state.
 */
public final class WorkQueue implements AutoCloseable {
  /** How long a waiting worker sleeps at most before looking at the clock again. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final InstantSource clock;
  private final Backoff backoff;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final Set<String> dirty = new HashSet<>();
  private final Set<String> processing = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final TreeSet<Delayed> waiting = new TreeSet<>();
  private long sequence;
  private boolean closed;

  private record Delayed(Instant at, long seq, String key) implements Comparable<Delayed> {
    @Override
    public int compareTo(Delayed o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  public WorkQueue(InstantSource clock, Backoff backoff) {
    this.clock = clock;
    this.backoff = backoff;
  }

  public void add(String key) {
    lock.lock();
    try {
      addLocked(key);
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(String key) {
    if (closed || !dirty.add(key)) {
      return;
    }
    if (!processing.contains(key)) {
      queue.addLast(key);
      changed.signal();
    }
  }

  /** Queues {@code key} once {@code delay} has passed on the clock. */
  public void addAfter(String key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    lock.lock();
    try {
      if (!closed) {
        waiting.add(new Delayed(clock.instant().plus(delay), sequence++, key));
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code key} after the backoff for its number of failures so far (this one included). */
  public Duration addRateLimited(String key) {
    Duration delay;
    lock.lock();
    try {
      delay = backoff.delay(failures.merge(key, 1, Integer::sum));
    } finally {
      lock.unlock();
    }
    addAfter(key, delay);
    return delay;
  }

  /** The key succeeded: its next failure starts the backoff afresh. */
  public void forget(String key) {
    lock.lock();
    try {
      failures.remove(key);
    } finally {
      lock.unlock();
    }
  }

  public int failures(String key) {
    lock.lock();
    try {
      return failures.getOrDefault(key, 0);
    } finally {
      lock.unlock();
    }
  }

  /** The next key to process, blocking until there is one; null once closed. Call {@link #done} after. */
  public String take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return null;
        }
        promoteDue();
        String key = queue.pollFirst();
        if (key != null) {
          dirty.remove(key);
          processing.add(key);
          return key;
        }
        if (waiting.isEmpty()) {
          changed.await();
        } else {
          long untilDue = Duration.between(clock.instant(), waiting.first().at()).toNanos();
          changed.awaitNanos(Math.max(1, Math.min(untilDue, MAX_PARK_NANOS)));
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void promoteDue() {
    Instant now = clock.instant();
    while (!waiting.isEmpty() && !waiting.first().at().isAfter(now)) {
      addLocked(waiting.pollFirst().key());
    }
  }

  /** The worker finished {@code key}; if it was queued meanwhile it becomes available again. */
  public void done(String key) {
    lock.lock();
    try {
      processing.remove(key);
      if (dirty.contains(key) && !closed) {
        queue.addLast(key);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Makes waiting workers look at the clock now (tests call it after moving a fake clock). */
  public void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Keys queued now (not counting those waiting for a delay or being processed). */
  public int length() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
