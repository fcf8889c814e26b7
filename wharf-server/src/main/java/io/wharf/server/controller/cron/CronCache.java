package io.wharf.server.controller.cron;

import io.wharf.model.CronJob;
import io.wharf.model.Job;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cron controller's informer: every CronJob and every Job, decoded once into immutable
 * records. It lists both prefixes, then follows ONE store watch on {@code /wharf/} from the
 * lower list revision + 1 (keys already listed at a newer revision are skipped). A compacted or
 * broken watch makes it relist and report every difference. Kept apart from the services'
 * {@code ClusterCache} so neither pays for the other's objects. The watch covers all of
 * {@code /wharf/} (not just resources) so its revision follows every write and
 * {@link #awaitCurrent} never waits for a revision that only touched, say, the leader key.
 *
 * <p>The handler runs on the watch's delivery thread (or the relisting thread) and must only
 * queue keys. Thread safety: reads are lock-free; changes are applied under {@code lock}, which
 * {@link #awaitRevision} waits on.
 */
public final class CronCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CronCache.class);
  static final String CRONJOBS = ResourceKeys.prefix(ResourceType.CRON_JOB, null);
  static final String JOBS = ResourceKeys.prefix(ResourceType.JOB, null);

  private final Store store;
  private final Consumer<Resource> handler;
  private final ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private long revision; // guarded by lock
  private Watch watch; // guarded by lock
  private volatile boolean closed;

  private record Entry(long modRevision, Resource resource) {}

  /** {@code handler} gets every created, changed or deleted cron job or job (its last state for a delete). */
  public CronCache(Store store, Consumer<Resource> handler) {
    this.store = store;
    this.handler = handler;
  }

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
      for (String prefix : List.of(CRONJOBS, JOBS)) {
        var range = store.range(prefix);
        listRevision = Math.min(listRevision, range.revision());
        range.kvs().forEach(kv -> listed.put(kv.key(), kv));
      }
      List<Resource> changed = new ArrayList<>();
      for (String key : new ArrayList<>(entries.keySet())) {
        if (!listed.containsKey(key)) {
          Entry gone = entries.remove(key);
          if (gone.resource() != null) {
            changed.add(gone.resource());
          }
        }
      }
      for (KeyValue kv : listed.values()) {
        Entry before = entries.get(kv.key());
        if (before == null || before.modRevision() != kv.modRevision()) {
          Entry after = decode(kv);
          entries.put(kv.key(), after);
          if (after.resource() != null) {
            changed.add(after.resource());
          }
        }
      }
      // Everything is applied before anyone is told, so a worker never sees half a list.
      changed.forEach(this::notify);
      revision = Math.max(revision, listRevision);
      advanced.signalAll();
      watch = store.watch("/wharf/", listRevision + 1, new Listener());
    } finally {
      lock.unlock();
    }
  }

  private void relistSoon(String why) {
    if (closed) {
      return;
    }
    log.info("cron cache relists: {}", why);
    Thread.ofVirtual().name("wharf-cron-cache-relist").start(() -> {
      while (!closed) {
        try {
          relist();
          return;
        } catch (RuntimeException e) {
          log.warn("cron cache relist failed; retrying in 1s: {}", e.toString());
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    });
  }

  private final class Listener implements WatchListener {
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
    if (!key.startsWith(CRONJOBS) && !key.startsWith(JOBS)) {
      return;
    }
    Entry before = entries.get(key);
    if (before != null && before.modRevision() >= e.revision()) {
      return; // already listed
    }
    if (e.type() == WatchEvent.Type.DELETE) {
      if (before != null) {
        entries.remove(key);
        notify(before.resource());
      }
      return;
    }
    Entry after = decode(e.kv());
    entries.put(key, after);
    notify(after.resource());
  }

  private void notify(Resource r) {
    if (r == null) {
      return;
    }
    try {
      handler.accept(r);
    } catch (RuntimeException ex) {
      log.warn("cron cache handler failed on {}", r.metadata().name(), ex);
    }
  }

  private static Entry decode(KeyValue kv) {
    Kind kind = kv.key().startsWith(CRONJOBS) ? Kind.CRON_JOB : Kind.JOB;
    Decoded<Resource> decoded = ResourceCodec.fromJson(kind, kv.value());
    if (!decoded.ok()) {
      log.warn("cron cache cannot decode {}: {}", kv.key(), decoded.problems());
      return new Entry(kv.modRevision(), null);
    }
    Resource r = decoded.value();
    return new Entry(kv.modRevision(), r.withMetadata(r.metadata().withRevision(kv.modRevision())));
  }

  /** Waits until every change up to {@code target} is applied; false on timeout or close. */
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

  public boolean awaitCurrent(Duration timeout) throws InterruptedException {
    return awaitRevision(store.revision(), timeout);
  }

  public Optional<CronJob> cronJob(String namespace, String name) {
    Entry e = entries.get(ResourceKeys.key(ResourceType.CRON_JOB, namespace, name));
    return e != null && e.resource() instanceof CronJob c ? Optional.of(c) : Optional.empty();
  }

  public List<CronJob> cronJobs() {
    List<CronJob> out = new ArrayList<>();
    for (Entry e : entries.subMap(CRONJOBS, CRONJOBS + Character.MAX_VALUE).values()) {
      if (e.resource() instanceof CronJob c) {
        out.add(c);
      }
    }
    return out;
  }

  /** The jobs a cron job started (label {@code wharf.io/cronjob}), found by their name prefix. */
  public List<Job> jobsOf(String namespace, String cron) {
    String prefix = ResourceKeys.key(ResourceType.JOB, namespace, CronRuns.jobName(cron, java.time.Instant.EPOCH));
    prefix = prefix.substring(0, prefix.length() - 1); // "<base>-"
    List<Job> out = new ArrayList<>();
    for (Entry e : entries.subMap(prefix, prefix + Character.MAX_VALUE).values()) {
      if (e.resource() instanceof Job j && cron.equals(j.metadata().labels().get(CronRuns.CRONJOB_LABEL))) {
        out.add(j);
      }
    }
    return out;
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
