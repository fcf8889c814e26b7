package io.wharf.bench.auth;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.StoreLimits;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import io.wharf.store.Watch;
import io.wharf.store.WatchListener;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** A real store that counts the reads ({@code get}, {@code range}) and transactions made through it. */
final class ReadCountingStore implements Store {
  private final Store delegate;
  final LongAdder reads = new LongAdder();
  final LongAdder txns = new LongAdder();

  ReadCountingStore(Store delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<KeyValue> get(String key) {
    reads.increment();
    return delegate.get(key);
  }

  @Override
  public RangeResult range(String prefix, String startAfter, int limit) {
    reads.increment();
    return delegate.range(prefix, startAfter, limit);
  }

  @Override
  public TxnResult txn(Txn txn) {
    txns.increment();
    return delegate.txn(txn);
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    return delegate.watch(prefix, fromRevision, listener);
  }

  @Override
  public LeaseId grantLease(Duration ttl) {
    return delegate.grantLease(ttl);
  }

  @Override
  public Duration keepAlive(LeaseId lease) {
    return delegate.keepAlive(lease);
  }

  @Override
  public void revokeLease(LeaseId lease) {
    delegate.revokeLease(lease);
  }

  @Override
  public StoreLimits limits() {
    return delegate.limits();
  }

  @Override
  public long revision() {
    return delegate.revision();
  }

  @Override
  public void compact(long revision) {
    delegate.compact(revision);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
