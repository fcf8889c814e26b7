package io.wharf.server.controller;

import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list/watch/relist loop under the controllers' caches ({@link ClusterCache}, the cron
 * controller's {@code CronCache}): lists each of its key prefixes, then follows ONE store watch on
 * {@code /wharf/} from the lowest list revision + 1 (keys already listed at that revision or a newer
 * one are recognized and skipped). A compacted or broken watch makes it relist, on a virtual thread
 * that retries every second until the store answers, and report every difference, so no change is
 * missed for good. The watch covers all of {@code /wharf/}, not just the prefixes, so
 * {@link #revision} follows every write and {@link #awaitCurrent} never waits for a revision that
 * only touched, say, the leader key.
 *
 * <p>The owner decodes each stored key into its entry type {@code E} (called under the lock, one
 * key at a time, so a decoder need not be thread-safe). A (re)list applies every listed key before
 * it tells any listener: listeners queue keys whose workers read the cache at once, and a
 * half-filled cache (a service's instances listed but not the service) would look like "service
 * deleted" to them.
 *
 * <p>Thread safety: reads are lock-free from a concurrent map of immutable entries; changes are
 * applied by one thread at a time under {@code lock}, which {@link #awaitRevision} waits on.
 * Listeners run on the watch's delivery thread (or the relisting thread) and must only queue keys.
 */
public final class Informer<E extends Informer.Versioned> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Informer.class);
  private static final String WATCH_PREFIX = "/wharf/";

  /** A cached entry knows the revision of the stored value it was made from. */
  public interface Versioned {
    long modRevision();
  }

  /** Told of a change: {@code before} or {@code after} is null for a create or delete. */
  @FunctionalInterface
  public interface Listener<E> {
    void changed(String key, E before, E after);
  }

  private record Pending<T>(String key, T before, T after) {}

  private final String name;
  private final Store store;
  private final List<String> prefixes;
  private final Function<KeyValue, E> decoder;
  private final ConcurrentSkipListMap<String, E> entries = new ConcurrentSkipListMap<>();
  private final List<Listener<E>> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private long revision; // guarded by lock: every change up to here is applied
  private Watch watch; // guarded by lock
  private volatile boolean closed;

  /** {@code name} names the log lines and the relist thread ("cluster cache"). */
  public Informer(String name, Store store, List<String> prefixes, Function<KeyValue, E> decoder) {
    this.name = name;
    this.store = store;
    this.prefixes = List.copyOf(prefixes);
    this.decoder = decoder;
  }

  /** Registers a listener (they run in registration order); call before {@link #start}. */
  public void onChange(Listener<E> listener) {
    listeners.add(listener);
  }

  /** Lists and starts watching; the initial list is reported as creates. */
  public void start() {
    relist();
  }

  private void relist() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (watch != null) {
        watch.close();
      }
      Map<String, KeyValue> listed = new HashMap<>();
      long listRevision = Long.MAX_VALUE;
      for (String prefix : prefixes) {
        var range = store.range(prefix);
        listRevision = Math.min(listRevision, range.revision());
        range.kvs().forEach(kv -> listed.put(kv.key(), kv));
      }
      List<Pending<E>> changes = new ArrayList<>();
      for (String key : new ArrayList<>(entries.keySet())) {
        if (!listed.containsKey(key)) {
          changes.add(new Pending<>(key, entries.remove(key), null));
        }
      }
      for (KeyValue kv : listed.values()) {
        E before = entries.get(kv.key());
        if (before == null || before.modRevision() != kv.modRevision()) {
          E after = decoder.apply(kv);
          entries.put(kv.key(), after);
          changes.add(new Pending<>(kv.key(), before, after));
        }
      }
      changes.forEach(c -> notify(c.key(), c.before(), c.after())); // only once all is applied
      revision = Math.max(revision, listRevision);
      advanced.signalAll();
      watch = store.watch(WATCH_PREFIX, listRevision + 1, new Follower());
    } finally {
      lock.unlock();
    }
  }

  private void relistSoon(String why) {
    if (closed) {
      return;
    }
    log.info("{} relists: {}", name, why);
    Thread.ofVirtual().name("wharf-" + name.replace(' ', '-') + "-relist").start(() -> {
      while (!closed) {
        try {
          relist();
          return;
        } catch (RuntimeException e) {
          log.warn("{} relist failed; retrying in 1s: {}", name, e.toString());
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    });
  }

  private final class Follower implements WatchListener {
    @Override
    public void onEvents(List<WatchEvent> events) {
      lock.lock();
      try {
        for (WatchEvent e : events) {
          apply(e);
          revision = Math.max(revision, e.revision());
        }
        advanced.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      relistSoon("watch compacted at " + compactRevision);
    }

    @Override
    public void onError(Throwable cause) {
      relistSoon("watch ended: " + cause.getMessage());
    }
  }

  private void apply(WatchEvent e) {
    String key = e.kv().key();
    if (prefixes.stream().noneMatch(key::startsWith)) {
      return;
    }
    E before = entries.get(key);
    if (before != null && before.modRevision() >= e.revision()) {
      return; // already listed
    }
    if (e.type() == WatchEvent.Type.DELETE) {
      if (before != null) {
        entries.remove(key);
        notify(key, before, null);
      }
      return;
    }
    E after = decoder.apply(e.kv());
    entries.put(key, after);
    notify(key, before, after);
  }

  private void notify(String key, E before, E after) {
    for (Listener<E> l : listeners) {
      try {
        l.changed(key, before, after);
      } catch (RuntimeException ex) {
        log.warn("{} handler failed on {}", name, key, ex);
      }
    }
  }

  /** The entry of {@code key}, or null. */
  public E get(String key) {
    return entries.get(key);
  }

  public boolean contains(String key) {
    return entries.containsKey(key);
  }

  /** The entries whose keys start with {@code prefix}, in key order (a live view). */
  public Collection<E> under(String prefix) {
    return entries.subMap(prefix, prefix + Character.MAX_VALUE).values();
  }

  /** The revision up to which every change has been applied. */
  public long revision() {
    lock.lock();
    try {
      return revision;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every change up to {@code target} is applied (a controller calls it with the
   * revision of its own write, so its next look sees that write). False on timeout or close.
   */
  public boolean awaitRevision(long target, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (revision < target) {
        if (left <= 0 || closed) {
          return false;
        }
        left = advanced.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the cache has caught up with the store as of now. */
  public boolean awaitCurrent(Duration timeout) throws InterruptedException {
    return awaitRevision(store.revision(), timeout);
  }

  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      if (watch != null) {
        watch.close();
      }
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
