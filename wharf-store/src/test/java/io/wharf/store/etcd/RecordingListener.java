package io.wharf.store.etcd;

import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A watch listener that records every call, for assertions. */
final class RecordingListener implements WatchListener {
  final List<List<WatchEvent>> batches = new CopyOnWriteArrayList<>();
  final AtomicLong compactedAt = new AtomicLong(-1);
  final AtomicReference<Throwable> error = new AtomicReference<>();

  @Override
  public void onEvents(List<WatchEvent> events) {
    batches.add(List.copyOf(events));
  }

  @Override
  public void onCompacted(long compactRevision) {
    compactedAt.set(compactRevision);
  }

  @Override
  public void onError(Throwable cause) {
    error.set(cause);
  }

  List<WatchEvent> events() {
    return batches.stream().flatMap(List::stream).toList();
  }

  List<Long> revisions() {
    return events().stream().map(WatchEvent::revision).toList();
  }

  List<String> keys() {
    return events().stream().map(e -> e.kv().key()).toList();
  }
}
