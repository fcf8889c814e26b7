package io.wharf.store.embedded;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import io.wharf.store.Watch;
import io.wharf.store.WatchListener;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.RootReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on local disk: one H2 MVStore file in a directory, durable and crash-safe.
 * The state machine (maps, revisions, leases) is {@link KeySpace}; this class runs it.
 *
 * <p><b>Writes</b> are requests handed to one <em>applier</em> thread, which is the store's
 * single writer: it takes every request queued, applies them in order (compares see every
 * earlier write), then writes all their changes as one MVStore chunk ({@code commit()}) and
 * passes the batch to the <em>syncer</em> thread. The syncer fsyncs (one fsync for every batch
 * waiting), publishes the new read snapshot, hands the revisions to the watches and only then
 * completes the requests. So a call returns after its write is on disk — it survives
 * {@code kill -9} and power loss — and concurrent writers share fsyncs (group commit); the
 * applier applies and writes the next batch while the syncer waits for the disk. MVStore never
 * commits on its own (auto-commit is off), so a chunk on disk always ends between two requests.
 * Callers never touch the file themselves, so interrupting a caller cannot close the store's
 * file channel, and waiting for a write is uninterruptible (the write is applied already).
 *
 * <p><b>Reads</b> ({@link #get}, {@link #range}, {@link #revision}) use the key map's root as of
 * the last durable batch, lock-free (MVStore pages are copy-on-write). They see whole
 * transactions only, never a write that is not yet durable, and every write acknowledged before
 * the read began.
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
  private static final int COMPACTION_STEP = 1024;
  private static final int PAGE_SPLIT_SIZE = 4096;
  private static final int CHUNK_RETENTION_MILLIS = 1000;
  private static final long CHECKPOINT_INTERVAL_NANOS = 1_000_000_000L;
  private static final long CHECKPOINT_LOG_BYTES = 32L << 20;

  private final Path dir;
  private final EmbeddedStoreOptions options;
  private final MVStore mv;
  /** Touched only by the applier thread once the constructor has returned. */
  private final KeySpace space;
  private final WriteAheadLog wal;
  private long lastCheckpoint = System.nanoTime(); // applier thread only

  private final ReentrantLock submitLock = new ReentrantLock();
  private boolean closed; // guarded by submitLock
  private final LinkedBlockingQueue<Request<?>> requests = new LinkedBlockingQueue<>();
  private final BlockingQueue<Batch> syncQueue = new LinkedBlockingQueue<>();
  private volatile StoreException failure;
  private volatile Snapshot visible;

  private final WatchHub hub;
  private final Thread applier;
  private final Thread syncer;
  private final Maintenance maintenance;

  /**
   * What readers see: the key map as of the last durable batch, and its revision. The snapshot
   * pins its MVStore version ({@code pin}) so the file chunks its pages live in are not reused
   * while anyone reads it; {@code users} counts readers plus one for being published, and the
   * pin is released when the count drops to zero.
   */
  private static final class Snapshot {
    final RootReference<String, byte[]> keys;
    final long revision;
    final MVStore.TxCounter pin;
    final AtomicInteger users = new AtomicInteger(1);

    Snapshot(RootReference<String, byte[]> keys, long revision, MVStore.TxCounter pin) {
      this.keys = keys;
      this.revision = revision;
      this.pin = pin;
    }
  }

  /** One caller's write, run on the applier; the caller waits on {@code done}. */
  private static final class Request<T> {
    final Supplier<T> action;
    final CompletableFuture<T> done = new CompletableFuture<>();
    T result;
    RuntimeException error;

    Request(Supplier<T> action) {
      this.action = action;
    }

    void complete() {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(result);
      }
    }
  }

  /** Requests applied together and, when they changed anything, the commit that holds them. */
  private record Batch(List<Request<?>> requests, Snapshot snapshot,
      List<RevisionEvents> revisions, FileChannel log, Checkpoint checkpoint, boolean last) {}

  /**
   * A checkpoint the applier has written to the MVStore file: the syncer forces and closes the
   * retired log segment, syncs the file, then deletes the segments the file now covers.
   */
  private record Checkpoint(FileChannel retired, long firstKeptSegment) {}

  private EmbeddedStore(Path dir, EmbeddedStoreOptions options, MVStore mv) {
    this.dir = dir;
    this.options = options;
    this.mv = mv;
    this.space = new KeySpace(mv, options, dir.toString(), WriteAheadLog.readAll(dir));
    if (space.replayed()) {
      // Make the replayed records part of the MVStore file before the log that held them goes.
      space.prepareCheckpoint();
      mv.commit();
      mv.sync();
    }
    this.wal = WriteAheadLog.startFresh(dir);
    this.visible = new Snapshot(space.keys().getRoot(), space.revision(), mv.registerVersionUsage());
    this.hub = new WatchHub(space.history(), space.revision(), options.watchQueueLimit());
    String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    this.syncer = Thread.ofPlatform().daemon().name("wharf-store-sync " + name).start(this::syncLoop);
    this.applier = Thread.ofPlatform().daemon().name("wharf-store-apply " + name).start(this::applyLoop);
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
          .fileName(UninterruptibleFilePath.name(dir.resolve(FILE_NAME)))
          .autoCommitDisabled()
          .pageSplitSize(PAGE_SPLIT_SIZE)
          .open();
    } catch (MVStoreException | IllegalStateException e) {
      throw new StoreException("cannot open embedded store in " + dir + ": " + e.getMessage(), e);
    }
    if (options.syncOnCommit()) {
      // MVStore keeps dead chunks 45 s by default in case the OS wrote the newest chunk out of
      // order. Every commit here is fsynced before it is acknowledged, so a short window is
      // enough, and it keeps the file from growing by 45 s worth of commits.
      mv.setRetentionTime(CHUNK_RETENTION_MILLIS);
    }
    try {
      return new EmbeddedStore(dir, options, mv);
    } catch (RuntimeException e) {
      mv.closeImmediately();
      throw e instanceof StoreException se ? se
          : new StoreException("cannot open embedded store in " + dir + ": " + e, e);
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
    Snapshot s = acquireSnapshot();
    try {
      byte[] value = space.keys().get(s.keys.root, key);
      return value == null ? Optional.empty() : Optional.of(RecordCodec.decodeValue(key, value));
    } catch (MVStoreException e) {
      throw readFailed(e);
    } finally {
      releaseSnapshot(s);
    }
  }

  @Override
  public RangeResult range(String prefix, String startAfter, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 0) {
      throw new IllegalArgumentException("limit: must be >= 0, was " + limit);
    }
    Snapshot s = acquireSnapshot();
    try {
      String from = prefix;
      boolean skipFrom = false;
      if (startAfter != null && !startAfter.isEmpty()
          && CodePointStringType.compareCodePoints(startAfter, prefix) >= 0) {
        from = startAfter;
        skipFrom = true;
      }
      List<KeyValue> out = new ArrayList<>();
      boolean more = false;
      Cursor<String, byte[]> c = space.keys().cursor(s.keys, from, null, false);
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
      return new RangeResult(out, s.revision, more);
    } catch (MVStoreException e) {
      throw readFailed(e);
    } finally {
      releaseSnapshot(s);
    }
  }

  @Override
  public long revision() {
    checkReadable();
    return visible.revision;
  }

  private void checkReadable() {
    StoreException f = failure;
    if (f != null) {
      throw f;
    }
    if (mv.isClosed()) {
      throw new StoreException("embedded store is closed");
    }
  }

  private Snapshot acquireSnapshot() {
    checkReadable();
    while (true) {
      Snapshot s = visible;
      int users = s.users.get();
      // Zero means retired: a newer snapshot is already published, so read again.
      if (users > 0 && s.users.compareAndSet(users, users + 1)) {
        return s;
      }
      checkReadable();
      Thread.onSpinWait();
    }
  }

  private void releaseSnapshot(Snapshot s) {
    if (s.users.decrementAndGet() == 0 && !mv.isClosed()) {
      mv.deregisterVersionUsage(s.pin);
    }
  }

  private StoreException readFailed(MVStoreException e) {
    checkReadable();
    return new StoreException("embedded store read failed: " + e.getMessage(), e);
  }

  // ---- writes -------------------------------------------------------------------------

  @Override
  public TxnResult txn(Txn txn) {
    Objects.requireNonNull(txn, "txn");
    KeySpace.validate(txn.onSuccess(), options.maxTxnOps());
    KeySpace.validate(txn.onFailure(), options.maxTxnOps());
    return submit(() -> space.txn(txn));
  }

  @Override
  public LeaseId grantLease(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl: must be at least 1ms, was " + ttl);
    }
    Duration granted = Duration.ofMillis(ttl.toMillis());
    return submit(() -> space.grantLease(granted));
  }

  @Override
  public Duration keepAlive(LeaseId lease) {
    Objects.requireNonNull(lease, "lease");
    return submit(() -> {
      Duration ttl = space.keepAlive(lease);
      if (ttl == null) {
        space.expireLeases();
        throw new LeaseNotFoundException(lease);
      }
      return ttl;
    });
  }

  @Override
  public void revokeLease(LeaseId lease) {
    Objects.requireNonNull(lease, "lease");
    submit(() -> {
      space.revokeLease(lease);
      return null;
    });
  }

  /**
   * Deletes every lease whose TTL ran out by the options' clock, each with its keys in one
   * revision, and returns when that is durable. Called by the maintenance thread; tests driving
   * a fake clock may call it directly.
   *
   * @return how many leases expired
   */
  public int expireLeases() {
    return submit(space::expireLeases);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Compacting at or below the current compacted revision does nothing. History is deleted
   * in steps so that a large compaction does not hold up writes for long.
   *
   * @throws IllegalArgumentException when {@code revision} is above the current revision
   */
  @Override
  public void compact(long revision) {
    while (submit(() -> space.compactStep(revision, COMPACTION_STEP))) {
      // next step
    }
  }

  /** Compacts history older than the retention window; run by the maintenance thread. */
  void applyRetention() {
    long target = submit(space::retentionTarget);
    if (target > 0) {
      compact(target);
    }
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listener, "listener");
    if (fromRevision < 0) {
      throw new IllegalArgumentException("fromRevision: must be >= 0, was " + fromRevision);
    }
    long from = fromRevision == 0 ? revision() + 1 : fromRevision;
    return hub.open(prefix, from, listener);
  }

  /**
   * Runs {@code action} on the applier and waits, uninterruptibly, until its effects are
   * durable. Exceptions the action throws reach the caller unchanged.
   */
  private <T> T submit(Supplier<T> action) {
    Request<T> request = new Request<>(action);
    submitLock.lock();
    try {
      checkWritable();
      requests.add(request);
    } finally {
      submitLock.unlock();
    }
    try {
      return request.done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
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

  // ---- the applier and the syncer -----------------------------------------------------

  private static final Request<Void> STOP = new Request<>(() -> null);

  private void applyLoop() {
    List<Request<?>> taken = new ArrayList<>();
    while (true) {
      taken.clear();
      try {
        taken.add(requests.take());
      } catch (InterruptedException e) {
        continue; // nobody interrupts this thread; keep serving
      }
      requests.drainTo(taken);
      boolean last = taken.remove(STOP);
      List<Request<?>> batch = List.copyOf(taken);
      Snapshot snapshot = null;
      List<RevisionEvents> revisions = List.of();
      FileChannel log = null;
      try {
        for (Request<?> r : batch) {
          run(r);
        }
        if (failure == null && space.dirty()) {
          KeySpace.Changes changes = space.takeChanges();
          snapshot = new Snapshot(changes.keysRoot(), changes.revision(), mv.registerVersionUsage());
          revisions = changes.revisions();
          log = wal.append(changes.walRecords());
        }
      } catch (IOException | RuntimeException e) {
        fail(e);
        snapshot = null;
      }
      Checkpoint checkpoint = null;
      if (!last && failure == null && space.checkpointDue()
          && (System.nanoTime() - lastCheckpoint >= CHECKPOINT_INTERVAL_NANOS
              || wal.size() >= CHECKPOINT_LOG_BYTES)) {
        checkpoint = checkpoint();
      }
      putUninterruptibly(new Batch(batch, snapshot, revisions, log, checkpoint, last));
      if (last) {
        return;
      }
    }
  }

  /**
   * Writes the in-memory state to the MVStore file and starts a new log segment; the syncer
   * then makes the file durable and drops the segments it covers. Runs on the applier between
   * batches, so the file always holds whole requests.
   */
  private Checkpoint checkpoint() {
    try {
      space.prepareCheckpoint();
      mv.commit();
      FileChannel retired = wal.rotate();
      lastCheckpoint = System.nanoTime();
      return new Checkpoint(retired, wal.segment());
    } catch (IOException | RuntimeException e) {
      fail(e);
      return null;
    }
  }

  private <T> void run(Request<T> r) {
    if (failure != null) {
      r.error = failure;
      return;
    }
    try {
      r.result = r.action.get();
    } catch (LeaseNotFoundException | IllegalArgumentException e) {
      r.error = e;
    } catch (RuntimeException e) {
      // Anything else may have left a mutation half-applied in memory: stop rather than
      // commit it. Writes already acknowledged are on disk and stay there.
      r.error = fail(e);
    }
  }

  private void putUninterruptibly(Batch b) {
    while (true) {
      try {
        syncQueue.put(b);
        return;
      } catch (InterruptedException e) {
        // nobody interrupts this thread; keep serving
      }
    }
  }

  private void syncLoop() {
    List<Batch> batches = new ArrayList<>();
    while (true) {
      batches.clear();
      try {
        batches.add(syncQueue.take());
      } catch (InterruptedException e) {
        continue; // nobody interrupts this thread; keep serving
      }
      syncQueue.drainTo(batches);
      if (failure == null) {
        try {
          syncBatches(batches);
        } catch (IOException | RuntimeException e) {
          fail(e);
        }
      }
      for (Batch b : batches) {
        if (failure != null) {
          // Whether these writes reached the disk is unknown: do not acknowledge them.
          b.requests().forEach(r -> r.error = failure);
        } else if (b.snapshot() != null) {
          Snapshot previous = visible;
          visible = b.snapshot();
          releaseSnapshot(previous);
          hub.publish(b.revisions());
        }
        b.requests().forEach(Request::complete);
      }
      if (batches.stream().anyMatch(Batch::last)) {
        return;
      }
    }
  }

  /**
   * Makes the drained batches durable: forces every log segment they appended to (one fsync per
   * segment, however many batches), and completes checkpoints in order.
   */
  private void syncBatches(List<Batch> batches) throws IOException {
    if (!options.syncOnCommit()) {
      for (Batch b : batches) {
        if (b.checkpoint() != null) {
          b.checkpoint().retired().close();
          wal.deleteBefore(b.checkpoint().firstKeptSegment());
        }
      }
      return;
    }
    java.util.Set<FileChannel> toForce = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Batch b : batches) {
      if (b.log() != null) {
        toForce.add(b.log());
      }
    }
    for (Batch b : batches) {
      Checkpoint c = b.checkpoint();
      if (c != null) {
        WriteAheadLog.force(c.retired());
        toForce.remove(c.retired());
        c.retired().close();
        mv.sync();
        wal.deleteBefore(c.firstKeptSegment());
      }
    }
    for (FileChannel ch : toForce) {
      WriteAheadLog.force(ch);
    }
  }

  /** Marks the store failed; every later call fails fast with the returned exception. */
  private StoreException fail(Throwable cause) {
    if (failure == null) {
      failure = new StoreException("embedded store in " + dir + " failed: " + cause, cause);
      log.error("embedded store in {} failed; it accepts no more work until reopened", dir, cause);
    }
    return failure;
  }

  // ---- lifecycle ----------------------------------------------------------------------

  /**
   * Stops maintenance, completes every request already submitted (durably), ends open watches
   * with {@link WatchListener#onError} and closes the file.
   */
  @Override
  public void close() {
    submitLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      requests.add(STOP);
    } finally {
      submitLock.unlock();
    }
    maintenance.close();
    joinQuietly(applier);
    joinQuietly(syncer);
    hub.close();
    releaseSnapshot(visible);
    try {
      if (failure == null) {
        space.prepareCheckpoint();
        mv.close();
        wal.close();
        wal.deleteBefore(Long.MAX_VALUE);
      } else {
        // Memory may hold a half-applied mutation: never commit it; the log has every
        // acknowledged write for the next open.
        mv.closeImmediately();
        wal.close();
      }
    } catch (IOException | MVStoreException e) {
      log.warn("closing embedded store in {} failed", dir, e);
      mv.closeImmediately();
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
