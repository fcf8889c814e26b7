package io.wharf.store.embedded;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import io.wharf.store.Txn.Compare;
import io.wharf.store.Txn.Delete;
import io.wharf.store.Txn.DeletePrefix;
import io.wharf.store.Txn.Op;
import io.wharf.store.Txn.Put;
import io.wharf.store.TxnResult;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.RootReference;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on local disk: one H2 MVStore file in a directory, durable and crash-safe.
 *
 * <p><b>Data.</b> Four maps in one MVStore file: keys (key → encoded {@link KeyValue}), history
 * (revision → that revision's events, for watches that start in the past), meta (current and
 * compacted revision, lease counter, format) and lease TTLs. Lease expiry times and the
 * lease → keys index live in memory ({@link LeaseTable}), rebuilt on open.
 *
 * <p><b>Writes.</b> One writer lock serializes every mutation: it evaluates compares against the
 * latest applied state, applies the operations to the in-memory maps and appends the revision's
 * events to a pending list. The writer then waits for durability. A single committer thread
 * (group commit) takes the writer lock just long enough to capture a consistent snapshot and
 * write every applied change as one MVStore chunk ({@code commit()}), releases it, and fsyncs
 * while writers go on applying; the next fsync covers all of them at once. MVStore itself never
 * commits on its own (auto-commit is off), so a chunk on disk always ends at a transaction
 * boundary. A call returns only after the fsync covering it, so an acknowledged write survives
 * {@code kill -9} and power loss.
 *
 * <p><b>Reads.</b> {@link #get} and {@link #range} read the key map at the root captured by the
 * last durable commit, without locks (MVStore pages are copy-on-write). Readers therefore see
 * whole transactions only, never a write that is not yet durable, and every write acknowledged
 * before the read began.
 *
 * <p><b>Revisions</b> follow etcd: a fresh store is at revision 1; a transaction that changes at
 * least one key (a put, or a delete of an existing key) advances the revision by one; a
 * transaction whose operations change nothing (no ops, or deletes of missing keys) does not.
 * Each expired or revoked lease with attached keys deletes them in one revision.
 *
 * <p><b>Watches</b> are served by {@link WatchHub} from durable revisions only.
 *
 * <p><b>Leases</b> expire by the options' clock: a maintenance thread calls
 * {@link #expireLeases()} every {@link EmbeddedStoreOptions#maintenanceInterval()}; tests with a
 * fake clock may call it themselves. A reopened store gives every lease a fresh TTL.
 *
 * <p>Thread safety: every public method may be called from any thread.
 */
public final class EmbeddedStore implements Store {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

  /** The store's file inside its directory. */
  public static final String FILE_NAME = "wharf-store.mv.db";
  private static final long FORMAT = 1;
  private static final String META_FORMAT = "format";
  private static final String META_REVISION = "revision";
  private static final String META_COMPACTED = "compacted";
  private static final String META_LEASE_COUNTER = "leaseCounter";
  private static final int COMPACTION_STEP = 1024;
  private static final int MAX_QUEUED_REVISIONS = 10_000;

  private final Path dir;
  private final EmbeddedStoreOptions options;
  private final MVStore mv;
  private final MVMap<String, byte[]> keys;
  private final MVMap<Long, byte[]> history;
  private final MVMap<String, Long> meta;
  private final MVMap<Long, Long> leaseTtls;

  /** Serializes mutations and guards the fields below it. */
  private final ReentrantLock writerLock = new ReentrantLock();
  private final LeaseTable leases = new LeaseTable();
  private long revision;
  private long leaseCounter;
  /** Counts mutations (of any kind) applied in memory; durability is tracked against it. */
  private long appliedSeq;
  private List<RevisionEvents> pending = new ArrayList<>();
  private boolean closed;
  /** Written under the writer lock before history is deleted, read by watches without it. */
  private volatile long compactedRevision;

  /** Guards the committer's hand-off; see {@link #awaitDurable}. */
  private final ReentrantLock durableLock = new ReentrantLock();
  private final Condition commitWanted = durableLock.newCondition();
  private final Condition durableChanged = durableLock.newCondition();
  private long requestedSeq; // guarded by durableLock
  private boolean stopping; // guarded by durableLock
  private volatile long durableSeq;
  private volatile Snapshot visible;
  private volatile StoreException failure;

  private final WatchHub hub;
  private final Thread committer;
  private final Maintenance maintenance;

  /** What readers see: the key map as of the last durable commit, and its revision. */
  private record Snapshot(RootReference<String, byte[]> keys, long revision) {}

  private EmbeddedStore(Path dir, EmbeddedStoreOptions options, MVStore mv) {
    this.dir = dir;
    this.options = options;
    this.mv = mv;
    this.keys = mv.openMap("keys", new MVMap.Builder<String, byte[]>()
        .keyType(CodePointStringType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.history = mv.openMap("history", new MVMap.Builder<Long, byte[]>()
        .keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.meta = mv.openMap("meta", new MVMap.Builder<String, Long>()
        .keyType(StringDataType.INSTANCE).valueType(LongDataType.INSTANCE));
    this.leaseTtls = mv.openMap("leases", new MVMap.Builder<Long, Long>()
        .keyType(LongDataType.INSTANCE).valueType(LongDataType.INSTANCE));
    Long format = meta.get(META_FORMAT);
    if (format == null) {
      meta.put(META_FORMAT, FORMAT);
      meta.put(META_REVISION, 1L);
      mv.commit();
    } else if (format != FORMAT) {
      throw new StoreException("embedded store in " + dir + " has format " + format
          + "; this version reads format " + FORMAT);
    }
    this.revision = meta.getOrDefault(META_REVISION, 1L);
    this.compactedRevision = meta.getOrDefault(META_COMPACTED, 0L);
    this.leaseCounter = meta.getOrDefault(META_LEASE_COUNTER, 0L);
    Instant now = options.clock().instant();
    for (Map.Entry<Long, Long> e : leaseTtls.entrySet()) {
      leases.grant(new LeaseId(e.getKey()), Duration.ofMillis(e.getValue()), now);
    }
    for (Cursor<String, byte[]> c = keys.cursor(null); c.hasNext(); ) {
      String key = c.next();
      leases.attach(RecordCodec.lease(c.getValue()), key);
    }
    this.visible = new Snapshot(keys.getRoot(), revision);
    this.hub = new WatchHub(new HistoryView(), revision, MAX_QUEUED_REVISIONS);
    this.committer = Thread.ofPlatform().daemon().name("wharf-store-commit " + dir.getFileName())
        .start(this::commitLoop);
    this.maintenance = new Maintenance(this, options.maintenanceInterval());
  }

  /** Opens (creating if needed) the store in {@code dir} with default options. */
  public static EmbeddedStore open(Path dir) {
    return open(dir, EmbeddedStoreOptions.defaults());
  }

  /**
   * Opens (creating if needed) the store in {@code dir}. Only one process (and one store
   * instance) may have a directory open at a time.
   *
   * @throws StoreException when the directory cannot be created, the file is in use, damaged,
   *     or of another format
   */
  public static EmbeddedStore open(Path dir, EmbeddedStoreOptions options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("cannot create embedded store directory " + dir + ": " + e, e);
    }
    MVStore mv;
    try {
      mv = new MVStore.Builder()
          .fileName(dir.resolve(FILE_NAME).toString())
          .autoCommitDisabled()
          .open();
    } catch (MVStoreException | IllegalStateException e) {
      throw new StoreException("cannot open embedded store in " + dir + ": " + e.getMessage(), e);
    }
    try {
      return new EmbeddedStore(dir, options, mv);
    } catch (RuntimeException e) {
      mv.closeImmediately();
      throw e;
    }
  }

  /** The directory this store keeps its file in. */
  public Path directory() {
    return dir;
  }

  // ---- reads --------------------------------------------------------------------------

  @Override
  public Optional<KeyValue> get(String key) {
    Objects.requireNonNull(key, "key");
    Snapshot s = readable();
    byte[] value = keys.get(s.keys().root, key);
    return value == null ? Optional.empty() : Optional.of(RecordCodec.decodeValue(key, value));
  }

  @Override
  public RangeResult range(String prefix, String startAfter, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 0) {
      throw new IllegalArgumentException("limit: must be >= 0, was " + limit);
    }
    Snapshot s = readable();
    String from = prefix;
    boolean skipFrom = false;
    if (startAfter != null && !startAfter.isEmpty()
        && CodePointStringType.compareCodePoints(startAfter, prefix) >= 0) {
      from = startAfter;
      skipFrom = true;
    }
    List<KeyValue> out = new ArrayList<>();
    boolean more = false;
    Cursor<String, byte[]> c = keys.cursor(s.keys(), from, null, false);
    while (c.hasNext()) {
      String key = c.next();
      if (!key.startsWith(prefix)) {
        break;
      }
      if (skipFrom && key.equals(from)) {
        continue;
      }
      if (limit > 0 && out.size() == limit) {
        more = true;
        break;
      }
      out.add(RecordCodec.decodeValue(key, c.getValue()));
    }
    return new RangeResult(out, s.revision(), more);
  }

  @Override
  public long revision() {
    return readable().revision();
  }

  private Snapshot readable() {
    StoreException f = failure;
    if (f != null) {
      throw f;
    }
    if (mv.isClosed()) {
      throw new StoreException("embedded store is closed");
    }
    return visible;
  }

  // ---- transactions -------------------------------------------------------------------

  private record Applied(boolean succeeded, long revision, long seq) {}

  @Override
  public TxnResult txn(Txn txn) {
    Objects.requireNonNull(txn, "txn");
    validate(txn.onSuccess());
    validate(txn.onFailure());
    Applied applied;
    writerLock.lock();
    try {
      checkWritable();
      boolean ok = comparesHold(txn.compares());
      List<Op> ops = ok ? txn.onSuccess() : txn.onFailure();
      Instant now = options.clock().instant();
      for (Op op : ops) {
        if (op instanceof Put p && !p.lease().isNone() && !leases.isLive(p.lease(), now)) {
          throw new LeaseNotFoundException(p.lease());
        }
      }
      long rev = revision + 1;
      List<WatchEvent> events = new ArrayList<>();
      for (Op op : ops) {
        switch (op) {
          case Put p -> putKey(p, rev, events);
          case Delete d -> deleteKey(d.key(), rev, events);
          case DeletePrefix d -> {
            for (String key : keysUnder(d.prefix())) {
              deleteKey(key, rev, events);
            }
          }
        }
      }
      long seq = events.isEmpty() ? appliedSeq : recordRevision(events);
      applied = new Applied(ok, revision, seq);
    } catch (RuntimeException e) {
      throw failIfUnexpected(e);
    } finally {
      writerLock.unlock();
    }
    awaitDurable(applied.seq());
    return new TxnResult(applied.succeeded(), applied.revision());
  }

  /**
   * Rejects what etcd rejects, so code that works here works there: too many operations, a key
   * put twice, or a key both put and deleted in one branch.
   */
  private void validate(List<Op> ops) {
    if (ops.size() > options.maxTxnOps()) {
      throw new IllegalArgumentException("too many operations in txn: " + ops.size()
          + " > " + options.maxTxnOps());
    }
    Set<String> puts = new HashSet<>();
    for (Op op : ops) {
      switch (op) {
        case Put p -> {
          requireKey(p.key());
          Objects.requireNonNull(p.value(), "value");
          Objects.requireNonNull(p.lease(), "lease");
          if (!puts.add(p.key())) {
            throw new IllegalArgumentException("duplicate key in txn: " + p.key() + " is put twice");
          }
        }
        case Delete d -> requireKey(d.key());
        case DeletePrefix d -> Objects.requireNonNull(d.prefix(), "prefix");
      }
    }
    for (Op op : ops) {
      for (String put : puts) {
        boolean overlaps = switch (op) {
          case Put p -> false;
          case Delete d -> d.key().equals(put);
          case DeletePrefix d -> put.startsWith(d.prefix());
        };
        if (overlaps) {
          throw new IllegalArgumentException("duplicate key in txn: " + put + " is put and deleted");
        }
      }
    }
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key: must not be empty");
    }
  }

  private boolean comparesHold(List<Compare> compares) {
    for (Compare c : compares) {
      byte[] value = keys.get(c.key());
      long mod = value == null ? 0 : RecordCodec.modRevision(value);
      if (mod != c.modRevision()) {
        return false;
      }
    }
    return true;
  }

  private void putKey(Put p, long rev, List<WatchEvent> events) {
    byte[] old = keys.get(p.key());
    KeyValue prev = old == null ? null : RecordCodec.decodeValue(p.key(), old);
    KeyValue next = new KeyValue(p.key(), p.value().clone(),
        prev == null ? rev : prev.createRevision(), rev, prev == null ? 1 : prev.version() + 1,
        p.lease());
    keys.put(p.key(), RecordCodec.encodeValue(next));
    if (prev != null) {
      leases.detach(prev.lease(), p.key());
    }
    leases.attach(p.lease(), p.key());
    events.add(new WatchEvent(WatchEvent.Type.PUT, next, prev));
  }

  private void deleteKey(String key, long rev, List<WatchEvent> events) {
    byte[] old = keys.remove(key);
    if (old != null) {
      KeyValue prev = RecordCodec.decodeValue(key, old);
      leases.detach(prev.lease(), key);
      events.add(new WatchEvent(WatchEvent.Type.DELETE, RecordCodec.tombstone(key, rev), prev));
    }
  }

  private List<String> keysUnder(String prefix) {
    List<String> found = new ArrayList<>();
    for (Cursor<String, byte[]> c = keys.cursor(prefix); c.hasNext(); ) {
      String key = c.next();
      if (!key.startsWith(prefix)) {
        break;
      }
      found.add(key);
    }
    return found;
  }

  /** Makes the applied events the next revision. Caller holds the writer lock. */
  private long recordRevision(List<WatchEvent> events) {
    long rev = revision + 1;
    history.put(rev, RecordCodec.encodeEvents(events));
    revision = rev;
    pending.add(new RevisionEvents(rev, events));
    return ++appliedSeq;
  }

  // ---- leases -------------------------------------------------------------------------

  @Override
  public LeaseId grantLease(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl: must be at least 1ms, was " + ttl);
    }
    Duration granted = Duration.ofMillis(ttl.toMillis());
    LeaseId id;
    long seq;
    writerLock.lock();
    try {
      checkWritable();
      id = new LeaseId(++leaseCounter);
      meta.put(META_LEASE_COUNTER, leaseCounter);
      leaseTtls.put(id.id(), granted.toMillis());
      leases.grant(id, granted, options.clock().instant());
      seq = ++appliedSeq;
    } catch (RuntimeException e) {
      throw failIfUnexpected(e);
    } finally {
      writerLock.unlock();
    }
    awaitDurable(seq);
    return id;
  }

  @Override
  public Duration keepAlive(LeaseId lease) {
    Objects.requireNonNull(lease, "lease");
    boolean expired;
    writerLock.lock();
    try {
      checkWritable();
      Duration ttl = leases.renew(lease, options.clock().instant());
      if (ttl != null) {
        return ttl;
      }
      expired = leases.exists(lease);
    } finally {
      writerLock.unlock();
    }
    if (expired) {
      expireLeases();
    }
    throw new LeaseNotFoundException(lease);
  }

  @Override
  public void revokeLease(LeaseId lease) {
    Objects.requireNonNull(lease, "lease");
    long seq;
    writerLock.lock();
    try {
      checkWritable();
      seq = revokeLocked(lease);
    } catch (RuntimeException e) {
      throw failIfUnexpected(e);
    } finally {
      writerLock.unlock();
    }
    awaitDurable(seq);
  }

  /**
   * Deletes every lease whose TTL ran out by the options' clock, each with its keys in one
   * revision. Called by the maintenance thread; tests driving a fake clock may call it directly.
   * Returns when the deletions are durable.
   *
   * @return how many leases expired
   */
  public int expireLeases() {
    long seq = -1;
    int expired = 0;
    writerLock.lock();
    try {
      checkWritable();
      for (LeaseId id : leases.expiredAt(options.clock().instant())) {
        seq = revokeLocked(id);
        expired++;
      }
    } catch (RuntimeException e) {
      throw failIfUnexpected(e);
    } finally {
      writerLock.unlock();
    }
    if (expired > 0) {
      awaitDurable(seq);
    }
    return expired;
  }

  /** Caller holds the writer lock. Returns the sequence number to wait for. */
  private long revokeLocked(LeaseId lease) {
    if (!leases.exists(lease)) {
      return appliedSeq;
    }
    List<String> attached = leases.remove(lease);
    leaseTtls.remove(lease.id());
    long rev = revision + 1;
    List<WatchEvent> events = new ArrayList<>();
    for (String key : attached) {
      deleteKey(key, rev, events);
    }
    return events.isEmpty() ? ++appliedSeq : recordRevision(events);
  }

  // ---- watches and compaction ---------------------------------------------------------

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listener, "listener");
    if (fromRevision < 0) {
      throw new IllegalArgumentException("fromRevision: must be >= 0, was " + fromRevision);
    }
    long from = fromRevision == 0 ? readable().revision() + 1 : fromRevision;
    return hub.open(prefix, from, listener);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Compacting at or below the current compacted revision does nothing.
   *
   * @throws IllegalArgumentException when {@code revision} is above the current revision
   */
  @Override
  public void compact(long revision) {
    long seq;
    writerLock.lock();
    try {
      checkWritable();
      if (revision > this.revision) {
        throw new IllegalArgumentException("cannot compact revision " + revision
            + ": the store is at revision " + this.revision);
      }
      if (revision <= compactedRevision) {
        return;
      }
      compactedRevision = revision;
      meta.put(META_COMPACTED, revision);
      seq = ++appliedSeq;
    } finally {
      writerLock.unlock();
    }
    // Delete in steps so a large compaction does not stall writers for long.
    boolean done = false;
    while (!done) {
      writerLock.lock();
      try {
        checkWritable();
        List<Long> doomed = new ArrayList<>();
        for (Cursor<Long, byte[]> c = history.cursor(null); c.hasNext() && doomed.size() < COMPACTION_STEP; ) {
          long rev = c.next();
          if (rev > revision) {
            break;
          }
          doomed.add(rev);
        }
        doomed.forEach(history::remove);
        done = doomed.size() < COMPACTION_STEP;
        seq = ++appliedSeq;
      } catch (RuntimeException e) {
        throw failIfUnexpected(e);
      } finally {
        writerLock.unlock();
      }
    }
    awaitDurable(seq);
  }

  /** Compacts history older than the retention window; run by the maintenance thread. */
  void applyRetention() {
    long target;
    writerLock.lock();
    try {
      checkWritable();
      target = revision - options.historyRetention();
    } finally {
      writerLock.unlock();
    }
    if (target > compactedRevision) {
      compact(target);
    }
  }

  /** Reads old revisions for watch replays, straight from the history map. */
  private final class HistoryView implements WatchHub.History {
    @Override
    public long compactedRevision() {
      return compactedRevision;
    }

    @Override
    public List<RevisionEvents> read(long from, long to) {
      List<RevisionEvents> out = new ArrayList<>();
      for (Cursor<Long, byte[]> c = history.cursor(from, to, false); c.hasNext(); ) {
        long rev = c.next();
        out.add(new RevisionEvents(rev, RecordCodec.decodeEvents(c.getValue())));
      }
      return out;
    }
  }

  // ---- durability ---------------------------------------------------------------------

  /**
   * Blocks until mutation {@code seq} is on disk. Waiting is uninterruptible: the mutation is
   * already applied, so returning early would acknowledge a write that might not survive a
   * crash. (The committer thread does all file writes, so an interrupted caller can never
   * close the file channel under the store.)
   */
  private void awaitDurable(long seq) {
    if (durableSeq >= seq) {
      return;
    }
    durableLock.lock();
    try {
      if (requestedSeq < seq) {
        requestedSeq = seq;
        commitWanted.signal();
      }
      while (durableSeq < seq) {
        StoreException f = failure;
        if (f != null) {
          throw f;
        }
        durableChanged.awaitUninterruptibly();
      }
    } finally {
      durableLock.unlock();
    }
  }

  private void commitLoop() {
    while (true) {
      durableLock.lock();
      try {
        while (!stopping && requestedSeq <= durableSeq) {
          commitWanted.awaitUninterruptibly();
        }
        if (stopping) {
          return;
        }
      } finally {
        durableLock.unlock();
      }
      try {
        groupCommit();
      } catch (RuntimeException e) {
        fail(e);
      }
      durableLock.lock();
      try {
        durableChanged.signalAll();
      } finally {
        durableLock.unlock();
      }
      if (failure != null) {
        return;
      }
    }
  }

  /** Writes everything applied so far as one chunk, syncs it, then publishes it. */
  private void groupCommit() {
    long seq;
    Snapshot snapshot;
    List<RevisionEvents> batch;
    writerLock.lock();
    try {
      seq = appliedSeq;
      batch = pending;
      pending = new ArrayList<>();
      meta.put(META_REVISION, revision);
      snapshot = new Snapshot(keys.getRoot(), revision);
      mv.commit();
    } finally {
      writerLock.unlock();
    }
    if (options.syncOnCommit()) {
      mv.sync();
    }
    visible = snapshot;
    durableSeq = seq;
    hub.publish(batch);
  }

  private void checkWritable() {
    StoreException f = failure;
    if (f != null) {
      throw f;
    }
    if (closed) {
      throw new StoreException("embedded store is closed");
    }
  }

  /**
   * Expected refusals (bad lease, closed store) pass through; anything else thrown while the
   * writer lock is held may have left a mutation half-applied in memory, so the store stops
   * accepting work rather than commit it.
   */
  private RuntimeException failIfUnexpected(RuntimeException e) {
    if (e instanceof LeaseNotFoundException || e instanceof IllegalArgumentException
        || e instanceof StoreException) {
      return e;
    }
    return fail(e);
  }

  private StoreException fail(Throwable cause) {
    StoreException f = new StoreException("embedded store in " + dir + " failed: " + cause, cause);
    if (failure == null) {
      failure = f;
      log.error("embedded store in {} failed; it accepts no more work until reopened", dir, cause);
    }
    durableLock.lock();
    try {
      durableChanged.signalAll();
    } finally {
      durableLock.unlock();
    }
    return failure;
  }

  // ---- lifecycle ----------------------------------------------------------------------

  /**
   * Stops maintenance, ends open watches with {@link WatchListener#onError}, writes everything
   * applied and closes the file. Writes still waiting for durability are made durable first.
   */
  @Override
  public void close() {
    writerLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      writerLock.unlock();
    }
    maintenance.close();
    hub.close();
    durableLock.lock();
    try {
      stopping = true;
      commitWanted.signal();
    } finally {
      durableLock.unlock();
    }
    joinQuietly(committer);
    writerLock.lock();
    try {
      if (failure == null) {
        meta.put(META_REVISION, revision);
        mv.close();
        durableSeq = appliedSeq;
      } else {
        mv.closeImmediately();
      }
    } catch (RuntimeException e) {
      fail(e);
      mv.closeImmediately();
    } finally {
      writerLock.unlock();
    }
    durableLock.lock();
    try {
      durableChanged.signalAll();
    } finally {
      durableLock.unlock();
    }
  }

  private static void joinQuietly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
