package io.wharf.store.embedded;

import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's write path: one <em>applier</em> thread, the single writer, and one
 * <em>syncer</em> thread.
 *
 * <p>The applier takes every request queued, runs them in order against the {@link KeySpace}
 * (compares see every earlier write) and appends their effects to the {@link WriteAheadLog}.
 * The syncer then forces the log — one fdatasync for every batch waiting (group commit) —
 * hands the batch's read snapshot and revisions to the store ({@link Durable}) and only then
 * completes the requests; the applier goes on with the next batch meanwhile. Every
 * {@link EmbeddedStoreOptions#checkpointInterval()} (or 32 MB of log) the applier also checkpoints: it writes the maps to the
 * MVStore file between two batches and starts a new log segment; the syncer makes the file
 * durable and deletes the segments it covers.
 *
 * <p>Callers wait uninterruptibly (their request is applied already) and never touch the files,
 * so an interrupted caller cannot close a file channel. An unexpected failure (a bug, a full
 * disk) fails the store: every later request fails fast, and nothing more is written.
 *
 * <p>Thread safety: {@link #submit} may be called from any thread.
 */
final class CommitPipeline {
  private static final Logger log = LoggerFactory.getLogger(CommitPipeline.class);
  private static final long CHECKPOINT_LOG_BYTES = 32L << 20;

  /** Receives, on the syncer, each durable batch's read snapshot and revisions, in order. */
  interface Durable {
    void published(ReadSnapshot snapshot, List<RevisionEvents> revisions);
  }

  private final Path dir;
  private final MVStore mv;
  private final KeySpace space;
  private final WriteAheadLog wal;
  private final boolean sync;
  private final long checkpointIntervalNanos;
  private final Durable durable;

  private final ReentrantLock submitLock = new ReentrantLock();
  private boolean closed; // guarded by submitLock
  private final LinkedBlockingQueue<Request<?>> requests = new LinkedBlockingQueue<>();
  private final BlockingQueue<Batch> syncQueue = new LinkedBlockingQueue<>();
  private volatile StoreException failure;
  private long lastCheckpoint = System.nanoTime(); // applier thread only
  private final Thread applier;
  private final Thread syncer;

  /** One caller's request, run on the applier; the caller waits on {@code done}. */
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

  private static final Request<Void> STOP = new Request<>(() -> null);

  /** Requests applied together, the log segment they went to, and a checkpoint taken after. */
  private record Batch(List<Request<?>> requests, ReadSnapshot snapshot,
      List<RevisionEvents> revisions, FileChannel log, Checkpoint checkpoint, boolean last) {}

  /** A checkpoint written to the MVStore file; the syncer finishes it. */
  private record Checkpoint(FileChannel retiredSegment, long firstKeptSegment) {}

  CommitPipeline(Path dir, MVStore mv, KeySpace space, WriteAheadLog wal,
      EmbeddedStoreOptions options, Durable durable) {
    this.dir = dir;
    this.mv = mv;
    this.space = space;
    this.wal = wal;
    this.sync = options.syncOnCommit();
    this.checkpointIntervalNanos = options.checkpointInterval().toNanos();
    this.durable = durable;
    String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    this.syncer = Thread.ofPlatform().daemon().name("wharf-store-sync " + name).start(this::syncLoop);
    this.applier = Thread.ofPlatform().daemon().name("wharf-store-apply " + name).start(this::applyLoop);
  }

  /** The failure that stopped the store, or null. */
  StoreException failure() {
    return failure;
  }

  /**
   * Runs {@code action} on the applier and waits, uninterruptibly, until its effects are
   * durable. Exceptions the action throws reach the caller unchanged.
   */
  <T> T submit(Supplier<T> action) {
    Request<T> request = new Request<>(action);
    submitLock.lock();
    try {
      StoreException f = failure;
      if (f != null) {
        throw f;
      }
      if (closed) {
        throw new StoreException("embedded store is closed");
      }
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

  /** Refuses new requests; those already submitted still run. Idempotent. */
  void stopAccepting() {
    submitLock.lock();
    try {
      if (!closed) {
        closed = true;
        requests.add(STOP);
      }
    } finally {
      submitLock.unlock();
    }
  }

  /** Waits until every submitted request is complete and both threads have ended. */
  void awaitStopped() {
    joinQuietly(applier);
    joinQuietly(syncer);
  }

  /**
   * After {@link #awaitStopped}: writes a last checkpoint and removes the log, or, after a
   * failure, closes without writing (memory may hold a half-applied mutation; the log has
   * every acknowledged write for the next open).
   */
  void closeFiles() {
    try {
      if (failure == null) {
        space.prepareCheckpoint();
        mv.close();
        wal.close();
        wal.deleteBefore(Long.MAX_VALUE);
      } else {
        mv.closeImmediately();
        wal.close();
      }
    } catch (IOException | MVStoreException e) {
      log.warn("closing embedded store in {} failed", dir, e);
      mv.closeImmediately();
    }
  }

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
      ReadSnapshot snapshot = null;
      List<RevisionEvents> revisions = List.of();
      FileChannel segment = null;
      try {
        for (Request<?> r : batch) {
          run(r);
        }
        if (failure == null && space.dirty()) {
          KeySpace.Changes changes = space.takeChanges();
          snapshot = new ReadSnapshot(changes.keysRoot(), changes.revision(), mv);
          revisions = changes.revisions();
          segment = wal.append(changes.walRecords());
        }
      } catch (IOException | RuntimeException e) {
        fail(e);
        snapshot = null;
      }
      Checkpoint checkpoint = null;
      if (!last && failure == null && space.checkpointDue()
          && (System.nanoTime() - lastCheckpoint >= checkpointIntervalNanos
              || wal.size() >= CHECKPOINT_LOG_BYTES)) {
        checkpoint = checkpoint();
      }
      putUninterruptibly(new Batch(batch, snapshot, revisions, segment, checkpoint, last));
      if (last) {
        return;
      }
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
      // write it. Writes already acknowledged are on disk and stay there.
      r.error = fail(e);
    }
  }

  /** Writes the maps to the MVStore file and starts a new log segment. Applier only. */
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
          makeDurable(batches);
        } catch (IOException | RuntimeException e) {
          fail(e);
        }
      }
      for (Batch b : batches) {
        if (failure != null) {
          // Whether these writes reached the disk is unknown: do not acknowledge them.
          b.requests().forEach(r -> r.error = failure);
        } else if (b.snapshot() != null) {
          durable.published(b.snapshot(), b.revisions());
        }
        b.requests().forEach(Request::complete);
      }
      if (batches.stream().anyMatch(Batch::last)) {
        return;
      }
    }
  }

  /**
   * Forces every log segment the batches appended to (one fsync per segment, however many
   * batches) and finishes their checkpoints: force and close the retired segment, sync the
   * MVStore file, delete the segments it now covers.
   */
  private void makeDurable(List<Batch> batches) throws IOException {
    Set<FileChannel> toForce = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Batch b : batches) {
      if (b.log() != null) {
        toForce.add(b.log());
      }
    }
    for (Batch b : batches) {
      Checkpoint c = b.checkpoint();
      if (c != null) {
        if (sync) {
          WriteAheadLog.force(c.retiredSegment());
        }
        toForce.remove(c.retiredSegment());
        c.retiredSegment().close();
        if (sync) {
          mv.sync();
        }
        wal.deleteBefore(c.firstKeptSegment());
      }
    }
    if (sync) {
      for (FileChannel ch : toForce) {
        WriteAheadLog.force(ch);
      }
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
