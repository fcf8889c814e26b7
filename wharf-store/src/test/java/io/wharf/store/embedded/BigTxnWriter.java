package io.wharf.store.embedded;

import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A child process for {@link EmbeddedStoreCrashTest}: opens the store in {@code args[0]} with
 * checkpoints an hour apart (so the write lives only in the write-ahead log), commits one
 * transaction of {@link EmbeddedStoreOptions#DEFAULT_MAX_TXN_OPS} 1 KB puts, prints
 * {@code acked <revision>} once it returned, and waits to be killed.
 */
public final class BigTxnWriter {
  static final int VALUE_BYTES = 1000;

  private BigTxnWriter() {}

  public static void main(String[] args) throws Exception {
    EmbeddedStore store = EmbeddedStore.open(Path.of(args[0]),
        EmbeddedStoreOptions.defaults().withCheckpointInterval(Duration.ofHours(1)));
    List<Txn.Op> puts = IntStream.range(0, EmbeddedStoreOptions.DEFAULT_MAX_TXN_OPS)
        .<Txn.Op>mapToObj(i -> new Txn.Put("/big/" + i, value(i))).toList();
    TxnResult result = store.txn(Txn.of(List.of(), puts));
    System.out.println("acked " + result.revision());
    System.out.flush();
    Thread.currentThread().join();
  }

  static byte[] value(int i) {
    byte[] v = new byte[VALUE_BYTES];
    java.util.Arrays.fill(v, (byte) ('a' + i % 26));
    return v;
  }
}
