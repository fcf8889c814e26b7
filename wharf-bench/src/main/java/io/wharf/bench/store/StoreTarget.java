package io.wharf.bench.store;

import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.util.List;

/**
 * A Wharf {@link Store} as a benchmark target: each put is a one-operation transaction, the
 * way Wharf itself writes. Closing closes the store, then {@code afterClose} (the etcd process,
 * a temp directory).
 */
record StoreTarget(String name, Store store, AutoCloseable afterClose) implements WriteTarget {

  @Override
  public void put(String key, byte[] value) {
    store.txn(Txn.of(List.of(), List.of(new Txn.Put(key, value))));
  }

  @Override
  public void close() {
    try (AutoCloseable last = afterClose) {
      store.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing " + name + " failed", e);
    }
  }
}
