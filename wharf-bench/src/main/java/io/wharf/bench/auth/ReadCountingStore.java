package io.wharf.bench.auth;

import io.wharf.store.ForwardingStore;
import io.wharf.store.KeyValue;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** A real store that counts the reads ({@code get}, {@code range}) and transactions made through it. */
final class ReadCountingStore extends ForwardingStore {
  final LongAdder reads = new LongAdder();
  final LongAdder txns = new LongAdder();

  ReadCountingStore(Store delegate) {
    super(delegate);
  }

  @Override
  public Optional<KeyValue> get(String key) {
    reads.increment();
    return delegate().get(key);
  }

  @Override
  public RangeResult range(String prefix, String startAfter, int limit) {
    reads.increment();
    return delegate().range(prefix, startAfter, limit);
  }

  @Override
  public TxnResult txn(Txn txn) {
    txns.increment();
    return delegate().txn(txn);
  }

}
