package io.wharf.server.auth.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's in-memory view of the records authentication and authorisation read on every API
 * call: API token records (by hash), principals and custom roles, decoded once. It lists
 * {@code /wharf/auth/principals/}, {@code roles/} and {@code tokens/}, then follows one store watch
 * on {@code /wharf/auth/} from the lowest list revision + 1; a compacted or broken watch makes it
 * unsynced at once and relist (in the background, a failed relist retried after 1 s, doubling up
 * to 30 s) like the controllers' caches. It is not built on their {@code controller.Informer}:
 * it runs on every server, not only the leader, so it watches {@code /wharf/auth/} alone rather
 * than all of {@code /wharf/}, and it needs what the informer has no use for: an unsynced state
 * that sends readers to the store, and this server's own writes applied before the watch has them.
 *
 * <p>Freshness. {@link AuthRecords} tells the cache of every change it commits
 * ({@link #committed}, before the writing call returns), so a revoke, a grant change or a deletion
 * holds on the server that made it for the very next request; other servers see it when their
 * watch delivers it (watch latency: milliseconds on a healthy store). Every change is applied only
 * when its revision is newer than what the cache holds for the key; a deletion committed here is
 * kept as a tombstone until the watch has passed its revision, so a late watch event can never
 * bring a deleted record back.
 *
 * <p>While not synced (before the first list, between a lost watch and the end of its relist)
 * {@link #synced()} is false and callers read the store instead ({@link AuthRecords#tokenForAuthentication}
 * and friends): a record the store no longer has is never served from a view that missed its deletion.
 *
 * <p>Thread safety: lookups are lock-free reads of a {@link ConcurrentHashMap}; every change (watch
 * events, relists, this server's commits) is applied under {@code lock}, which
 * {@link #awaitRevision} waits on.
 */
public final class AuthCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuthCache.class);
  private static final List<String> PREFIXES = List.of(AuthRecords.PRINCIPALS, AuthRecords.ROLES, AuthRecords.TOKENS);
  private static final int PAGE = 1000;
  /** The first wait after a failed relist; it doubles up to {@link #RELIST_RETRY_MAX}. */
  static final Duration RELIST_RETRY = Duration.ofSeconds(1);
  static final Duration RELIST_RETRY_MAX = Duration.ofSeconds(30);

  private final Store store;
  private final ObjectMapper json;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private final Set<String> tombstones = new HashSet<>(); // guarded by lock: keys whose entry is a local delete
  private long revision; // guarded by lock: every change up to here is applied
  private Watch watch; // guarded by lock
  private int generation; // guarded by lock: the current watch's number; older watches' calls are ignored
  private volatile boolean synced;
  private volatile boolean closed;
  private volatile Thread relisting;
  private final java.util.concurrent.atomic.AtomicLong lists = new java.util.concurrent.atomic.AtomicLong();

  /** A cached record (a {@link TokenRecord}, {@link PrincipalRecord} or {@link RoleRecord}); null value: deleted. */
  private record Entry(long modRevision, Object value) {}

  public AuthCache(Store store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** Lists and starts watching; when the store does not answer, keeps trying in the background. */
  public void start() {
    try {
      relist();
    } catch (RuntimeException e) {
      relistSoon("first list failed: " + e);
    }
  }

  /** Whether the view follows the store (listed, and its watch has not been lost since). */
  public boolean synced() {
    return synced && !closed;
  }

  /** The revision every change up to which is applied. */
  public long revision() {
    lock.lock();
    try {
      return revision;
    } finally {
      lock.unlock();
    }
  }

  Optional<TokenRecord> token(String hash) {
    return value(AuthRecords.TOKENS + hash, TokenRecord.class);
  }

  Optional<PrincipalRecord> principal(String id) {
    return value(AuthRecords.PRINCIPALS + id, PrincipalRecord.class);
  }

  Optional<RoleRecord> role(String name) {
    return value(AuthRecords.ROLES + name, RoleRecord.class);
  }

  private <T> Optional<T> value(String key, Class<T> type) {
    Entry e = entries.get(key);
    return e != null && type.isInstance(e.value()) ? Optional.of(type.cast(e.value())) : Optional.empty();
  }

  /**
   * Applies what {@link AuthRecords} has just committed at {@code committedRevision}, so this
   * server's next request sees it without waiting for the watch.
   */
  void committed(List<Txn.Op> ops, long committedRevision) {
    lock.lock();
    try {
      for (Txn.Op op : ops) {
        switch (op) {
          case Txn.Put put -> {
            if (cached(put.key())) {
              put(put.key(), committedRevision, put.value());
            }
          }
          case Txn.Delete delete -> {
            if (cached(delete.key()) && newer(delete.key(), committedRevision)) {
              entries.put(delete.key(), new Entry(committedRevision, null));
              tombstones.add(delete.key());
            }
          }
          case Txn.DeletePrefix prefix -> {
            // AuthRecords deletes keys one by one; nothing to do for other prefixes
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits until every change up to {@code target} is applied; false on timeout, close or while unsynced. */
  public boolean awaitRevision(long target, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (revision < target) {
        if (left <= 0 || closed || !synced) {
          return false;
        }
        left = advanced.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private static boolean cached(String key) {
    for (String p : PREFIXES) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private boolean newer(String key, long rev) {
    Entry before = entries.get(key);
    return before == null || before.modRevision() < rev;
  }

  /** Under lock: stores the decoded value of {@code key} at {@code rev} unless the cache holds a newer one. */
  private void put(String key, long rev, byte[] value) {
    if (!newer(key, rev)) {
      return;
    }
    Object decoded = decode(key, value);
    if (decoded == null) {
      entries.remove(key); // unreadable: callers see no record, as the store's readers would fail on it
    } else {
      entries.put(key, new Entry(rev, decoded));
    }
    tombstones.remove(key);
  }

  private Object decode(String key, byte[] value) {
    Class<?> type = key.startsWith(AuthRecords.TOKENS) ? TokenRecord.class
        : key.startsWith(AuthRecords.PRINCIPALS) ? PrincipalRecord.class : RoleRecord.class;
    try {
      return json.readValue(value, type);
    } catch (IOException e) {
      log.warn("auth cache cannot read {} as a {}: {}", key, type.getSimpleName(), e.getMessage());
      return null;
    }
  }

  /** Under lock: forgets tombstones the watch has passed (no older event of their key can come). */
  private void pruneTombstones() {
    tombstones.removeIf(key -> {
      Entry e = entries.get(key);
      if (e == null || e.value() != null) {
        return true;
      }
      if (e.modRevision() <= revision) {
        entries.remove(key, e);
        return true;
      }
      return false;
    });
  }

  private void relist() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      synced = false;
      generation++;
      if (watch != null) {
        watch.close();
        watch = null;
      }
      Map<String, KeyValue> listed = new HashMap<>();
      long listRevision = Long.MAX_VALUE;
      for (String prefix : PREFIXES) {
        String after = null;
        while (true) {
          var page = store.range(prefix, after, PAGE);
          listRevision = Math.min(listRevision, page.revision());
          for (KeyValue kv : page.kvs()) {
            listed.put(kv.key(), kv);
            after = kv.key();
          }
          if (!page.more()) {
            break;
          }
        }
      }
      // Gone from the store: dropped unless this server committed it after the list was read
      // (a change newer than the list is either in the list or still to come from the watch).
      for (Map.Entry<String, Entry> e : new ArrayList<>(entries.entrySet())) {
        if (!listed.containsKey(e.getKey()) && e.getValue().modRevision() < listRevision) {
          entries.remove(e.getKey(), e.getValue());
          tombstones.remove(e.getKey());
        }
      }
      for (KeyValue kv : listed.values()) {
        put(kv.key(), kv.modRevision(), kv.value());
      }
      revision = Math.max(revision, listRevision);
      pruneTombstones();
      watch = store.watch(AuthRecords.ROOT, listRevision + 1, new Listener(generation));
      synced = true;
      lists.incrementAndGet();
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** How many lists (the first and every relist) have completed. */
  public long lists() {
    return lists.get();
  }

  private void relistSoon(String why) {
    if (closed) {
      return;
    }
    log.info("auth cache relists (reading the store meanwhile): {}", why);
    relisting = Thread.ofVirtual().name("wharf-auth-cache-relist").start(() -> {
      Duration delay = RELIST_RETRY;
      while (!closed) {
        try {
          relist();
          return;
        } catch (RuntimeException e) {
          log.warn("auth cache relist failed; retrying in {}: {}", delay, e.toString());
          try {
            Thread.sleep(delay);
          } catch (InterruptedException ie) {
            return;
          }
          delay = delay.multipliedBy(2).compareTo(RELIST_RETRY_MAX) > 0 ? RELIST_RETRY_MAX : delay.multipliedBy(2);
        }
      }
    });
  }

  private final class Listener implements WatchListener {
    private final int number;

    Listener(int number) {
      this.number = number;
    }

    @Override
    public void onEvents(List<WatchEvent> events) {
      lock.lock();
      try {
        if (number != generation) {
          return;
        }
        for (WatchEvent e : events) {
          String key = e.kv().key();
          if (cached(key)) {
            if (e.type() == WatchEvent.Type.PUT) {
              put(key, e.revision(), e.kv().value());
            } else if (newer(key, e.revision())) {
              entries.remove(key);
              tombstones.remove(key);
            }
          }
          revision = Math.max(revision, e.revision());
        }
        pruneTombstones();
        advanced.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      lost("watch compacted at " + compactRevision);
    }

    @Override
    public void onError(Throwable cause) {
      lost("watch ended: " + cause.getMessage());
    }

    private void lost(String why) {
      lock.lock();
      try {
        if (number != generation || closed) {
          return;
        }
        synced = false; // from now on callers read the store until the relist is done
        generation++;
        advanced.signalAll();
      } finally {
        lock.unlock();
      }
      relistSoon(why);
    }
  }

  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      synced = false;
      generation++;
      if (watch != null) {
        watch.close();
        watch = null;
      }
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
    Thread t = relisting;
    if (t != null) {
      t.interrupt();
    }
  }
}
