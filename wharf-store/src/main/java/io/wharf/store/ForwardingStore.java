package io.wharf.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A store that passes every call on to another one: a wrapper (a test that observes or
 * interferes with the calls, a benchmark that counts them) extends it and overrides only the
 * calls it changes. Thread safety is the delegate's.
 */
public abstract class ForwardingStore implements Store {
  private final Store delegate;

  protected ForwardingStore(Store delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The store calls are passed to. */
  protected Store delegate() {
    return delegate;
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return delegate.get(key);
  }

  @Override
  public RangeResult range(String prefix, String startAfter, int limit) {
    return delegate.range(prefix, startAfter, limit);
  }

  @Override
  public TxnResult txn(Txn txn) {
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
