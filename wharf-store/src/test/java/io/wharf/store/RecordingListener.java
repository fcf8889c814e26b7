package io.wharf.store;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link WatchListener} that records every call, for assertions. Thread-safe: the store
 * calls it from its own thread while the test reads it.
 */
public final class RecordingListener implements WatchListener {
  private final List<List<WatchEvent>> batches = new CopyOnWriteArrayList<>();
  private final AtomicLong compacted = new AtomicLong(-1);
  private final AtomicReference<Throwable> error = new AtomicReference<>();

  @Override
  public void onEvents(List<WatchEvent> events) {
    batches.add(List.copyOf(events));
  }

  @Override
  public void onCompacted(long compactRevision) {
    compacted.set(compactRevision);
  }

  @Override
  public void onError(Throwable cause) {
    error.set(cause);
  }

  /** Every onEvents call so far, one list per call. */
  public List<List<WatchEvent>> batches() {
    return List.copyOf(batches);
  }

  /** Every event so far, in delivery order. */
  public List<WatchEvent> events() {
    List<WatchEvent> all = new ArrayList<>();
    batches.forEach(all::addAll);
    return all;
  }

  /** The revision reported by onCompacted, or -1 when it was not called. */
  public long compactedRevision() {
    return compacted.get();
  }

  public Throwable error() {
    return error.get();
  }

  /** Waits until at least {@code count} events arrived and returns all of them. */
  public List<WatchEvent> awaitEvents(int count, Duration atMost) {
    await().atMost(atMost).until(() -> events().size() >= count);
    return events();
  }

  /** Waits for onCompacted and returns the revision it reported. */
  public long awaitCompacted(Duration atMost) {
    await().atMost(atMost).until(() -> compacted.get() >= 0);
    return compacted.get();
  }
}
