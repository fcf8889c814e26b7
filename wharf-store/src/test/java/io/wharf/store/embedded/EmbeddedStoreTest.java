package io.wharf.store.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.RecordingListener;
import io.wharf.store.StoreException;
import io.wharf.store.StoreLimits;
import io.wharf.store.Txn;
import io.wharf.store.Txn.Put;
import io.wharf.store.TxnResult;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded store promises beyond the shared contract. */
@SuppressWarnings("try") // watches held open by try-with-resources are not referenced
class EmbeddedStoreTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock();
  private final List<EmbeddedStore> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(EmbeddedStore::close);
  }

  private EmbeddedStore open() {
    return open(EmbeddedStoreOptions.defaults().withClock(clock));
  }

  private EmbeddedStore open(EmbeddedStoreOptions options) {
    EmbeddedStore store = EmbeddedStore.open(dir, options);
    opened.add(store);
    return store;
  }

  private static long put(EmbeddedStore store, String key, String value) {
    return store.txn(Txn.of(List.of(), List.of(new Put(key, value.getBytes(UTF_8))))).revision();
  }

  private static long put(EmbeddedStore store, String key, String value, LeaseId lease) {
    return store.txn(Txn.of(List.of(), List.of(new Put(key, value.getBytes(UTF_8), lease)))).revision();
  }

  // ---- restart ------------------------------------------------------------------------

  @Test
  void aFreshStoreIsAtRevisionOneLikeEtcd() {
    EmbeddedStore store = open();

    assertThat(store.revision()).isEqualTo(1);
    assertThat(put(store, "/a", "1")).isEqualTo(2);
  }

  @Test
  void reopenAfterCleanCloseKeepsRevisionHistoryCompactionAndLeases() {
    EmbeddedStore first = open();
    put(first, "/k/a", "1");
    long compactTo = put(first, "/k/a", "2");
    put(first, "/k/b", "3");
    LeaseId lease = first.grantLease(Duration.ofSeconds(30));
    long last = put(first, "/k/leased", "4", lease);
    first.compact(compactTo);
    RecordingListener before = new RecordingListener();
    try (Watch ignored = first.watch("/k/", compactTo + 1, before)) {
      before.awaitEvents(2, PATIENCE);
    }
    first.close();
    opened.remove(first);

    EmbeddedStore second = open();

    assertThat(second.revision()).isEqualTo(last);
    assertThat(second.range("/k/").kvs()).extracting(KeyValue::key)
        .containsExactly("/k/a", "/k/b", "/k/leased");
    assertThat(second.get("/k/leased").orElseThrow().lease()).isEqualTo(lease);
    RecordingListener after = new RecordingListener();
    try (Watch ignored = second.watch("/k/", compactTo + 1, after)) {
      assertThat(after.awaitEvents(2, PATIENCE)).isEqualTo(before.events());
    }
    RecordingListener compacted = new RecordingListener();
    try (Watch ignored = second.watch("/k/", compactTo, compacted)) {
      assertThat(compacted.awaitCompacted(PATIENCE)).isEqualTo(compactTo);
    }
    assertThat(second.keepAlive(lease)).isEqualTo(Duration.ofSeconds(30));
    second.revokeLease(lease);
    assertThat(second.get("/k/leased")).isEmpty();
    assertThat(put(second, "/k/c", "5")).isEqualTo(second.revision());
  }

  @Test
  void leasesGetAFreshTtlAfterReopen() {
    EmbeddedStore first = open();
    LeaseId lease = first.grantLease(Duration.ofSeconds(10));
    put(first, "/leased", "1", lease);
    clock.advance(Duration.ofSeconds(9));
    first.close();
    opened.remove(first);

    EmbeddedStore second = open();
    clock.advance(Duration.ofSeconds(9));
    assertThat(second.expireLeases()).isZero();
    assertThat(second.get("/leased")).isPresent();

    clock.advance(Duration.ofSeconds(1));
    assertThat(second.expireLeases()).isEqualTo(1);
    assertThat(second.get("/leased")).isEmpty();
  }

  @Test
  void aSecondOpenOfTheSameDirectoryFails() {
    open();

    assertThatThrownBy(() -> EmbeddedStore.open(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot open embedded store in " + dir);
  }

  @Test
  void callsOnAClosedStoreFail() {
    EmbeddedStore store = open();
    store.close();

    assertThatThrownBy(() -> store.get("/a")).isInstanceOf(StoreException.class)
        .hasMessage("embedded store is closed");
    assertThatThrownBy(() -> put(store, "/a", "1")).isInstanceOf(StoreException.class)
        .hasMessage("embedded store is closed");
    assertThatThrownBy(() -> store.watch("/", 0, new RecordingListener()))
        .isInstanceOf(StoreException.class).hasMessage("embedded store is closed");
    store.close();
  }

  @Test
  void closingTheStoreEndsWatchesWithAnError() {
    EmbeddedStore store = open();
    RecordingListener listener = new RecordingListener();
    store.watch("/", 0, listener);

    store.close();

    await().atMost(PATIENCE).until(() -> listener.error() != null);
    assertThat(listener.error()).isInstanceOf(StoreException.class)
        .hasMessage("embedded store is closed");
  }

  @Test
  void anInterruptedWriterStillGetsItsDurableAnswerAndKeepsItsInterrupt() {
    EmbeddedStore store = open();

    Thread.currentThread().interrupt();
    long rev;
    try {
      rev = put(store, "/i/a", "x");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }

    assertThat(store.get("/i/a").orElseThrow().modRevision()).isEqualTo(rev);
    assertThat(put(store, "/i/b", "y")).isEqualTo(rev + 1);
  }

  // ---- leases -------------------------------------------------------------------------

  @Test
  void keepAliveRestartsTheTtl() {
    EmbeddedStore store = open();
    LeaseId lease = store.grantLease(Duration.ofSeconds(10));
    put(store, "/leased", "1", lease);

    clock.advance(Duration.ofSeconds(8));
    assertThat(store.keepAlive(lease)).isEqualTo(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(8));
    assertThat(store.expireLeases()).isZero();
    assertThat(store.get("/leased")).isPresent();

    clock.advance(Duration.ofSeconds(2));
    assertThat(store.expireLeases()).isEqualTo(1);
    assertThat(store.get("/leased")).isEmpty();
  }

  @Test
  void eachExpiredLeaseDeletesItsKeysInItsOwnRevision() {
    EmbeddedStore store = open();
    LeaseId one = store.grantLease(Duration.ofSeconds(5));
    LeaseId two = store.grantLease(Duration.ofSeconds(5));
    LeaseId empty = store.grantLease(Duration.ofSeconds(5));
    put(store, "/l/1a", "x", one);
    put(store, "/l/1b", "x", one);
    long before = put(store, "/l/2", "x", two);
    RecordingListener listener = new RecordingListener();
    store.watch("/l/", before + 1, listener);

    clock.advance(Duration.ofSeconds(5));
    assertThat(store.expireLeases()).isEqualTo(3);

    assertThat(store.revision()).isEqualTo(before + 2);
    List<WatchEvent> events = listener.awaitEvents(3, PATIENCE);
    assertThat(events).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.DELETE);
    assertThat(events.stream().map(WatchEvent::revision).distinct()).hasSize(2);
    assertThatThrownBy(() -> store.keepAlive(empty)).isInstanceOf(LeaseNotFoundException.class)
        .hasMessage("lease " + empty.id() + " not found or expired");
  }

  @Test
  void keepAliveAfterTheTtlRanOutExpiresTheLeaseAtOnce() {
    EmbeddedStore store = open();
    LeaseId lease = store.grantLease(Duration.ofSeconds(5));
    put(store, "/leased", "1", lease);

    clock.advance(Duration.ofSeconds(6));

    assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(LeaseNotFoundException.class);
    assertThat(store.get("/leased")).isEmpty();
  }

  @Test
  void grantingAZeroTtlIsRejected() {
    EmbeddedStore store = open();

    assertThatThrownBy(() -> store.grantLease(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl: must be at least 1ms, was PT0S");
  }

  // ---- compaction and retention -------------------------------------------------------

  @Test
  void watchFromExactlyTheCompactedRevisionReportsCompacted() {
    EmbeddedStore store = open();
    put(store, "/w", "1");
    long compacted = put(store, "/w", "2");
    put(store, "/w", "3");
    store.compact(compacted);

    RecordingListener listener = new RecordingListener();
    store.watch("/", compacted, listener);

    assertThat(listener.awaitCompacted(PATIENCE)).isEqualTo(compacted);
    assertThat(listener.events()).isEmpty();
  }

  @Test
  void compactingAFutureRevisionIsRejected() {
    EmbeddedStore store = open();
    long rev = put(store, "/a", "1");

    assertThatThrownBy(() -> store.compact(rev + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot compact revision " + (rev + 1) + ": the store is at revision " + rev);
  }

  @Test
  void retentionCompactsHistoryOlderThanTheWindow() {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults().withClock(clock).withHistoryRetention(5));
    long last = 0;
    for (int i = 0; i < 20; i++) {
      last = put(store, "/r", Integer.toString(i));
    }

    store.applyRetention();

    RecordingListener old = new RecordingListener();
    store.watch("/", last - 5, old);
    assertThat(old.awaitCompacted(PATIENCE)).isEqualTo(last - 5);
    RecordingListener recent = new RecordingListener();
    store.watch("/", last - 4, recent);
    assertThat(recent.awaitEvents(5, PATIENCE)).extracting(WatchEvent::revision)
        .containsExactly(last - 4, last - 3, last - 2, last - 1, last);
  }

  @Test
  void compactionInManyStepsDropsAllOfIt() {
    // More revisions than one compaction step deletes; no fsync, to keep the test quick.
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults().withClock(clock).withSyncOnCommit(false));
    long last = 0;
    for (int i = 0; i < 1100; i++) {
      last = put(store, "/step", Integer.toString(i));
    }

    store.compact(last - 1);

    RecordingListener listener = new RecordingListener();
    store.watch("/", last - 1, listener);
    assertThat(listener.awaitCompacted(PATIENCE)).isEqualTo(last - 1);
    RecordingListener tail = new RecordingListener();
    store.watch("/", last, tail);
    assertThat(tail.awaitEvents(1, PATIENCE)).extracting(WatchEvent::revision).containsExactly(last);
  }

  // ---- watches ------------------------------------------------------------------------

  @Test
  void aSlowWatcherCatchesUpFromHistoryWithoutLossOrDuplicates() {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults().withClock(clock).withWatchQueueLimit(4));
    CountDownLatch release = new CountDownLatch(1);
    List<WatchEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    store.watch("/s/", 0, new WatchListener() {
      @Override
      public void onEvents(List<WatchEvent> events) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        seen.addAll(events);
      }

      @Override
      public void onCompacted(long compactRevision) {
        throw new AssertionError("not compacted");
      }
    });
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      written.add(put(store, "/s/" + i, "v"));
    }

    release.countDown();

    await().atMost(PATIENCE).until(() -> seen.size() >= 40);
    assertThat(seen).extracting(WatchEvent::revision).containsExactlyElementsOf(written);
  }

  @Test
  void aListenerThatThrowsEndsItsWatchWithTheError() {
    EmbeddedStore store = open();
    RuntimeException boom = new IllegalStateException("boom");
    AtomicBoolean errored = new AtomicBoolean();
    store.watch("/", 0, new WatchListener() {
      @Override
      public void onEvents(List<WatchEvent> events) {
        throw boom;
      }

      @Override
      public void onCompacted(long compactRevision) {}

      @Override
      public void onError(Throwable cause) {
        errored.set(cause == boom);
      }
    });

    put(store, "/a", "1");

    await().atMost(PATIENCE).untilTrue(errored);
  }

  // ---- reads and ordering -------------------------------------------------------------

  @Test
  void readersNeverSeeHalfATransaction() throws Exception {
    EmbeddedStore store = open();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = Thread.ofVirtual().start(() -> {
      for (int i = 0; i < 300; i++) {
        byte[] v = Integer.toString(i).getBytes(UTF_8);
        store.txn(Txn.of(List.of(), List.of(new Put("/pair/a", v), new Put("/pair/b", v))));
      }
      writing.set(false);
    });
    int reads = 0;
    while (writing.get() || reads == 0) {
      List<KeyValue> pair = store.range("/pair/").kvs();
      if (!pair.isEmpty()) {
        assertThat(pair).hasSize(2);
        assertThat(pair.get(0).value()).isEqualTo(pair.get(1).value());
        assertThat(pair.get(0).modRevision()).isEqualTo(pair.get(1).modRevision());
      }
      reads++;
    }
    writer.join();
  }

  @Test
  void keysAreOrderedByTheirUtf8Bytes() {
    EmbeddedStore store = open();
    String bmpHigh = "/o/\uFFFD";
    String astral = "/o/\uD83D\uDE00";
    String ascii = "/o/z";
    put(store, astral, "1");
    put(store, bmpHigh, "2");
    put(store, ascii, "3");

    assertThat(store.range("/o/").kvs()).extracting(KeyValue::key)
        .containsExactly(ascii, bmpHigh, astral);
    assertThat(store.range("/o/", bmpHigh, 0).kvs()).extracting(KeyValue::key)
        .containsExactly(astral);
  }

  @Test
  void aTxnOfTenThousandOpsCommitsAsOneRevisionAndSurvivesReopen() {
    EmbeddedStore store = open();
    byte[] value = new byte[1000];
    List<Txn.Op> ops = IntStream.range(0, EmbeddedStoreOptions.DEFAULT_MAX_TXN_OPS)
        .<Txn.Op>mapToObj(i -> new Put("/big/" + i, value)).toList();
    long before = store.revision();

    TxnResult result = store.txn(Txn.of(List.of(), ops));

    assertThat(store.limits().maxTxnOps()).isEqualTo(10_000);
    assertThat(result.revision()).isEqualTo(before + 1);
    assertThat(store.range("/big/").kvs()).hasSize(10_000)
        .allSatisfy(kv -> assertThat(kv.modRevision()).isEqualTo(result.revision()));
    store.close();
    opened.remove(store);
    EmbeddedStore reopened = open();
    assertThat(reopened.range("/big/").kvs()).hasSize(10_000);
    assertThat(reopened.revision()).isEqualTo(result.revision());
  }

  @Test
  void aTxnWithMoreOpsThanTheLimitIsRejected() {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults().withClock(clock).withTxnLimits(128, 1 << 20));
    List<Txn.Op> ops = IntStream.range(0, 129)
        .<Txn.Op>mapToObj(i -> new Put("/big/" + i, new byte[0])).toList();

    assertThatThrownBy(() -> store.txn(Txn.of(List.of(), ops)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("too many operations in txn: 129 > 128");
    assertThat(store.limits()).isEqualTo(new StoreLimits(128, 1 << 20));
  }

  @Test
  void aTxnWithMoreBytesThanTheLimitIsRejectedAndWritesNothing() {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults().withClock(clock).withTxnLimits(100, 1000));
    long before = store.revision();
    List<Txn.Op> ops = List.of(new Put("/a", new byte[600]), new Put("/b", new byte[400]));

    assertThatThrownBy(() -> store.txn(Txn.of(List.of(), ops)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("txn too large: 1004 bytes of keys and values > 1000");
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void aTxnPuttingAKeyItAlsoDeletesIsRejected() {
    EmbeddedStore store = open();

    assertThatThrownBy(() -> store.txn(Txn.of(List.of(),
        List.of(new Txn.DeletePrefix("/d/"), new Put("/d/x", new byte[0])))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate key in txn: /d/x is put and deleted");
  }
}
