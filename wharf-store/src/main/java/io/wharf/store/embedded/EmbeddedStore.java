package io.wharf.store.embedded;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.StoreLimits;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import io.wharf.store.Watch;
import io.wharf.store.WatchListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * The {@link Store} on local disk: an H2 MVStore file plus a write-ahead log in one directory,
 * durable and crash-safe. The state machine (maps, revisions, leases) is {@link KeySpace}, the
 * write path {@link CommitPipeline}; this class wires them to reads, watches and maintenance.
 *
 * <p><b>Writes</b> are requests handed to one <em>applier</em> thread, the store's single
 * writer: it takes every request queued, applies them in order to the in-memory MVStore maps
 * (compares see every earlier write) and appends their effects to the {@link WriteAheadLog}.
 * The <em>syncer</em> thread then fdatasyncs the log — one fsync for every batch waiting —
 * publishes the new read snapshot, hands the revisions to the watches and only then completes
 * the requests. So a call returns after its write is on disk (it survives {@code kill -9} and
 * power loss) and concurrent writers share fsyncs (group commit); the applier goes on with the
 * next batch while the syncer waits for the disk.
 *
 * <p><b>Checkpoints.</b> Every {@link EmbeddedStoreOptions#checkpointInterval()} (or 32 MB of log) the applier writes the maps
 * to the MVStore file ({@code commit()}, between two batches, so the file always holds whole
 * requests) and starts a new log segment; the syncer makes the file durable and deletes the
 * segments it covers. MVStore never commits on its own (auto-commit is off). Opening a store
 * replays the log records past the file's last checkpoint.
 *
 * <p>Callers never write the files themselves, and reads go through an interrupt-proof channel
 * ({@link UninterruptibleFilePath}), so interrupting a caller cannot close the store's file;
 * waiting for a write is uninterruptible (the write is already applied).
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
  /** The store's MVStore file inside its directory. */
  public static final String FILE_NAME = "wharf-store.mv.db";
  private static final int COMPACTION_STEP = 1024;
  private static final int PAGE_SPLIT_SIZE = 4096;
  private static final int CHUNK_RETENTION_MILLIS = 1000;

  private final Path dir;
  private final EmbeddedStoreOptions options;
  private final MVStore mv;
  /** Touched only by the pipeline's applier thread once the constructor has returned. */
  private final KeySpace space;
  private final CommitPipeline pipeline;
  private volatile ReadSnapshot visible;
  private final WatchHub hub;
  private final Maintenance maintenance;
  private final AtomicBoolean closed = new AtomicBoolean();

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
    WriteAheadLog wal = WriteAheadLog.startFresh(dir);
    this.visible = new ReadSnapshot(space.keys().getRoot(), space.revision(), mv);
    this.hub = new WatchHub(space.history(), space.revision(), options.watchQueueLimit());
    this.pipeline = new CommitPipeline(dir, mv, space, wal, options, this::publish);
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
          .cacheSize(options.cacheSizeMb())
          .open();
    } catch (MVStoreException | IllegalStateException e) {
      throw new StoreException("cannot open embedded store in " + dir + ": " + e.getMessage(), e);
    }
    if (options.syncOnCommit()) {
      // MVStore keeps dead chunks 45 s by default in case the OS wrote the newest chunk out of
      // order. Here every checkpoint is fsynced before the log it replaces is deleted, and
      // MVStore still never overwrites chunks of its last few versions, so the previous
      // checkpoint stays intact while the next is written; a short window is enough and keeps
      // the file from growing.
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

  /** The directory this store keeps its files in. */
  public Path directory() {
    return dir;
  }

  // ---- reads --------------------------------------------------------------------------

  @Override
  public Optional<KeyValue> get(String key) {
    Objects.requireNonNull(key, "key");
    ReadSnapshot s = acquireSnapshot();
    try {
      byte[] value = space.keys().get(s.keys.root, key);
      return value == null ? Optional.empty() : Optional.of(RecordCodec.decodeValue(key, value));
    } catch (MVStoreException e) {
      throw readFailed(e);
    } finally {
      s.release(mv);
    }
  }

  @Override
  public RangeResult range(String prefix, String startAfter, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 0) {
      throw new IllegalArgumentException("limit: must be >= 0, was " + limit);
    }
    ReadSnapshot s = acquireSnapshot();
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
      s.release(mv);
    }
  }

  @Override
  public long revision() {
    checkReadable();
    return visible.revision;
  }

  private void checkReadable() {
    StoreException f = pipeline.failure();
    if (f != null) {
      throw f;
    }
    if (mv.isClosed()) {
      throw new StoreException("embedded store is closed");
    }
  }

  private ReadSnapshot acquireSnapshot() {
    checkReadable();
    while (true) {
      ReadSnapshot s = visible;
      if (s.tryAcquire()) {
        return s;
      }
      // Retired: a newer snapshot is already published, so read again.
      checkReadable();
      Thread.onSpinWait();
    }
  }

  private StoreException readFailed(MVStoreException e) {
    checkReadable();
    return new StoreException("embedded store read failed: " + e.getMessage(), e);
  }

  // ---- writes -------------------------------------------------------------------------

  /** What {@link EmbeddedStoreOptions#maxTxnOps()} and {@link EmbeddedStoreOptions#maxTxnBytes()} say. */
  @Override
  public StoreLimits limits() {
    return new StoreLimits(options.maxTxnOps(), options.maxTxnBytes());
  }

  @Override
  public TxnResult txn(Txn txn) {
    Objects.requireNonNull(txn, "txn");
    KeySpace.validate(txn.onSuccess(), options.maxTxnOps(), options.maxTxnBytes());
    KeySpace.validate(txn.onFailure(), options.maxTxnOps(), options.maxTxnBytes());
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

  private <T> T submit(Supplier<T> action) {
    return pipeline.submit(action);
  }

  /** Called by the pipeline's syncer for each durable batch, in order. */
  private void publish(ReadSnapshot snapshot, List<RevisionEvents> revisions) {
    ReadSnapshot previous = visible;
    visible = snapshot;
    previous.release(mv);
    hub.publish(revisions);
  }

  // ---- lifecycle ----------------------------------------------------------------------

  /**
   * Stops maintenance, completes every request already submitted (durably), ends open watches
   * with {@link WatchListener#onError} and closes the files.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    pipeline.stopAccepting();
    maintenance.close();
    pipeline.awaitStopped();
    hub.close();
    visible.release(mv);
    pipeline.closeFiles();
  }
}
