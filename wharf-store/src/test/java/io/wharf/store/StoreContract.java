package io.wharf.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.store.Txn.Compare;
import io.wharf.store.Txn.Delete;
import io.wharf.store.Txn.DeletePrefix;
import io.wharf.store.Txn.Put;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} backend must show, written against the interface only.
 *
 * <p>A backend's test extends this class and supplies {@link #newStore()} and
 * {@link #letLeaseTimePass(Duration)}. Each test works under its own random key root, so a
 * backend may hand out the same server to every test; tests only assume revisions relative to
 * what they read, never absolute numbers, and nothing else writes while a test runs.
 *
 * <p>Time: a backend with an injectable clock advances it in {@link #letLeaseTimePass} and runs
 * its expiry; a real-time backend (etcd cannot take a fake clock) may do nothing there, because
 * every assertion about expiry waits with Awaitility for up to {@link #patience()}.
 */
@SuppressWarnings("try") // watches held open by try-with-resources are not referenced
public abstract class StoreContract {

  /** The store under test, opened before each test and closed after it. */
  protected Store store;

  /** A key root unique to this test; every key a test writes lives under it. */
  protected String root;

  /** Opens a store for one test. Called once per test. */
  protected abstract Store newStore() throws Exception;

  /**
   * Makes at least {@code ttl} pass as far as leases are concerned: advance a fake clock and run
   * expiry, or do nothing when the backend runs on real time.
   */
  protected abstract void letLeaseTimePass(Duration ttl);

  /** The shortest lease TTL the backend honours (etcd rounds lower TTLs up to about 2 s). */
  protected Duration shortTtl() {
    return Duration.ofSeconds(2);
  }

  /** How long to wait for asynchronous effects: watch delivery, lease expiry. */
  protected Duration patience() {
    return Duration.ofSeconds(15);
  }

  @BeforeEach
  void openStore() throws Exception {
    root = "/contract/" + UUID.randomUUID() + "/";
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---- get / put / delete -------------------------------------------------------------

  @Test
  void putCreatesKeyWithCreateAndModRevisionOfItsTransaction() {
    long rev = put("a", "1");

    assertThat(store.get(root + "a")).hasValueSatisfying(kv -> {
      assertThat(kv.key()).isEqualTo(root + "a");
      assertThat(text(kv)).isEqualTo("1");
      assertThat(kv.createRevision()).isEqualTo(rev);
      assertThat(kv.modRevision()).isEqualTo(rev);
      assertThat(kv.version()).isEqualTo(1);
      assertThat(kv.lease()).isEqualTo(LeaseId.NONE);
    });
    assertThat(store.revision()).isEqualTo(rev);
  }

  @Test
  void updateAdvancesRevisionByOneAndKeepsCreateRevision() {
    long first = put("a", "1");
    long second = put("a", "2");

    assertThat(second).isEqualTo(first + 1);
    KeyValue kv = store.get(root + "a").orElseThrow();
    assertThat(text(kv)).isEqualTo("2");
    assertThat(kv.createRevision()).isEqualTo(first);
    assertThat(kv.modRevision()).isEqualTo(second);
    assertThat(kv.version()).isEqualTo(2);
  }

  @Test
  void getOfMissingKeyIsEmpty() {
    assertThat(store.get(root + "missing")).isEmpty();
  }

  @Test
  void deleteRemovesKeyAndAdvancesRevision() {
    long created = put("a", "1");

    TxnResult deleted = store.txn(Txn.of(List.of(), List.of(new Delete(root + "a"))));

    assertThat(deleted.succeeded()).isTrue();
    assertThat(deleted.revision()).isEqualTo(created + 1);
    assertThat(store.get(root + "a")).isEmpty();
    assertThat(store.revision()).isEqualTo(created + 1);
  }

  @Test
  void deletingMissingKeyDoesNotAdvanceRevision() {
    long before = put("other", "x");

    TxnResult result = store.txn(Txn.of(List.of(), List.of(new Delete(root + "missing"))));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.revision()).isEqualTo(before);
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void recreatedKeyStartsAFreshVersionHistory() {
    put("a", "1");
    put("a", "2");
    store.txn(Txn.of(List.of(), List.of(new Delete(root + "a"))));
    long recreated = put("a", "3");

    KeyValue kv = store.get(root + "a").orElseThrow();
    assertThat(kv.createRevision()).isEqualTo(recreated);
    assertThat(kv.version()).isEqualTo(1);
  }

  @Test
  void valuesAreOpaqueBytes() {
    byte[] bytes = {0, -1, 127, -128, 10, 13};
    store.txn(Txn.of(List.of(), List.of(new Put(root + "bin", bytes))));

    assertThat(store.get(root + "bin").orElseThrow().value()).containsExactly(bytes);
  }

  // ---- range --------------------------------------------------------------------------

  @Test
  void rangeReturnsOnlyKeysUnderPrefixInKeyOrder() {
    put("a/2", "2");
    put("a/1", "1");
    put("a/3", "3");
    put("ab", "not under a/");
    long last = put("b/1", "other");

    RangeResult result = store.range(root + "a/");

    assertThat(result.kvs()).extracting(KeyValue::key)
        .containsExactly(root + "a/1", root + "a/2", root + "a/3");
    assertThat(result.revision()).isEqualTo(last);
    assertThat(result.more()).isFalse();
  }

  @Test
  void rangePagesWithStartAfterAndLimit() {
    for (int i = 1; i <= 5; i++) {
      put("p/k" + i, "v" + i);
    }
    String prefix = root + "p/";

    RangeResult first = store.range(prefix, null, 2);
    RangeResult second = store.range(prefix, root + "p/k2", 2);
    RangeResult third = store.range(prefix, root + "p/k4", 2);

    assertThat(first.kvs()).extracting(KeyValue::key).containsExactly(prefix + "k1", prefix + "k2");
    assertThat(first.more()).isTrue();
    assertThat(second.kvs()).extracting(KeyValue::key).containsExactly(prefix + "k3", prefix + "k4");
    assertThat(second.more()).isTrue();
    assertThat(third.kvs()).extracting(KeyValue::key).containsExactly(prefix + "k5");
    assertThat(third.more()).isFalse();
  }

  @Test
  void rangeWithLimitEqualToRemainingKeysSaysNoMore() {
    put("p/k1", "1");
    put("p/k2", "2");

    RangeResult result = store.range(root + "p/", "", 2);

    assertThat(result.kvs()).hasSize(2);
    assertThat(result.more()).isFalse();
  }

  @Test
  void rangeOfEmptyPrefixAreaIsEmptyAtCurrentRevision() {
    long rev = put("x", "1");

    RangeResult result = store.range(root + "nothing/");

    assertThat(result.kvs()).isEmpty();
    assertThat(result.more()).isFalse();
    assertThat(result.revision()).isEqualTo(rev);
  }

  // ---- transactions -------------------------------------------------------------------

  @Test
  void txnWithMatchingRevisionCompareAppliesSuccessOps() {
    long rev = put("a", "1");

    TxnResult result = store.txn(new Txn(List.of(new Compare(root + "a", rev)),
        List.of(new Put(root + "a", bytes("2"))), List.of(new Put(root + "failed", bytes("x")))));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.revision()).isEqualTo(rev + 1);
    assertThat(text(store.get(root + "a").orElseThrow())).isEqualTo("2");
    assertThat(store.get(root + "failed")).isEmpty();
  }

  @Test
  void txnWithStaleRevisionFailsAndAppliesFailureOps() {
    long stale = put("a", "1");
    long current = put("a", "2");

    TxnResult result = store.txn(new Txn(List.of(new Compare(root + "a", stale)),
        List.of(new Put(root + "a", bytes("lost update"))),
        List.of(new Put(root + "conflicts", bytes("1")))));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.revision()).isEqualTo(current + 1);
    assertThat(text(store.get(root + "a").orElseThrow())).isEqualTo("2");
    assertThat(text(store.get(root + "conflicts").orElseThrow())).isEqualTo("1");
  }

  @Test
  void failedTxnWithoutFailureOpsChangesNothing() {
    long rev = put("a", "1");

    TxnResult result = store.txn(Txn.of(List.of(new Compare(root + "a", rev - 1)),
        List.of(new Put(root + "a", bytes("2")))));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.revision()).isEqualTo(rev);
    assertThat(store.revision()).isEqualTo(rev);
    assertThat(text(store.get(root + "a").orElseThrow())).isEqualTo("1");
  }

  @Test
  void absentCompareCreatesOnlyWhenKeyIsMissing() {
    Txn create = Txn.of(List.of(Compare.absent(root + "lock")),
        List.of(new Put(root + "lock", bytes("first"))));

    TxnResult first = store.txn(create);
    TxnResult second = store.txn(Txn.of(List.of(Compare.absent(root + "lock")),
        List.of(new Put(root + "lock", bytes("second")))));

    assertThat(first.succeeded()).isTrue();
    assertThat(second.succeeded()).isFalse();
    assertThat(text(store.get(root + "lock").orElseThrow())).isEqualTo("first");
  }

  @Test
  void allOpsOfATxnShareOneRevision() {
    put("gone", "x");

    TxnResult result = store.txn(Txn.of(List.of(), List.of(new Put(root + "a", bytes("1")),
        new Put(root + "b", bytes("2")), new Delete(root + "gone"))));

    assertThat(store.get(root + "a").orElseThrow().modRevision()).isEqualTo(result.revision());
    assertThat(store.get(root + "b").orElseThrow().modRevision()).isEqualTo(result.revision());
    assertThat(store.get(root + "gone")).isEmpty();
    assertThat(store.revision()).isEqualTo(result.revision());
  }

  @Test
  void everyCompareMustHoldForSuccess() {
    long a = put("a", "1");
    put("b", "1");

    TxnResult result = store.txn(Txn.of(
        List.of(new Compare(root + "a", a), Compare.absent(root + "b")),
        List.of(new Put(root + "c", bytes("1")))));

    assertThat(result.succeeded()).isFalse();
    assertThat(store.get(root + "c")).isEmpty();
  }

  @Test
  void deletePrefixRemovesOnlyKeysUnderPrefixInOneRevision() {
    put("dir/a", "1");
    put("dir/b", "2");
    put("dir/sub/c", "3");
    put("dirx", "stays");
    long before = store.revision();

    TxnResult result = store.txn(Txn.of(List.of(), List.of(new DeletePrefix(root + "dir/"))));

    assertThat(result.revision()).isEqualTo(before + 1);
    assertThat(store.range(root + "dir/").kvs()).isEmpty();
    assertThat(store.get(root + "dirx")).isPresent();
  }

  @Test
  void txnPuttingOneKeyTwiceIsRejected() {
    long before = put("x", "1");

    assertThatThrownBy(() -> store.txn(Txn.of(List.of(),
        List.of(new Put(root + "k", bytes("1")), new Put(root + "k", bytes("2"))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate key");
    assertThat(store.get(root + "k")).isEmpty();
    assertThat(store.revision()).isEqualTo(before);
  }

  // ---- watches ------------------------------------------------------------------------

  @Test
  void watchFromPastRevisionReplaysHistoryThenDeliversLiveChanges() {
    long first = put("w/a", "1");
    put("w/b", "2");
    put("elsewhere", "ignored");
    RecordingListener listener = new RecordingListener();

    try (Watch ignored = store.watch(root + "w/", first, listener)) {
      listener.awaitEvents(2, patience());
      long live = put("w/c", "3");

      List<WatchEvent> events = listener.awaitEvents(3, patience());
      assertThat(events).extracting(e -> e.kv().key())
          .containsExactly(root + "w/a", root + "w/b", root + "w/c");
      assertThat(events).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.PUT);
      assertThat(events.get(0).revision()).isEqualTo(first);
      assertThat(events.get(2).revision()).isEqualTo(live);
      assertThat(text(events.get(2).kv())).isEqualTo("3");
    }
  }

  @Test
  void watchFromZeroDeliversOnlyLaterChanges() {
    put("w/old", "1");
    RecordingListener listener = new RecordingListener();

    try (Watch ignored = store.watch(root + "w/", 0, listener)) {
      long next = put("w/new", "2");

      List<WatchEvent> events = listener.awaitEvents(1, patience());
      assertThat(events).extracting(e -> e.kv().key()).containsExactly(root + "w/new");
      assertThat(events.get(0).revision()).isEqualTo(next);
    }
  }

  @Test
  void watchDeliversUpdatesAndDeletesWithTheirRevisions() {
    long created = put("w/a", "1");
    RecordingListener listener = new RecordingListener();

    try (Watch ignored = store.watch(root + "w/", created + 1, listener)) {
      long updated = put("w/a", "2");
      TxnResult deleted = store.txn(Txn.of(List.of(), List.of(new Delete(root + "w/a"))));

      List<WatchEvent> events = listener.awaitEvents(2, patience());
      assertThat(events).hasSize(2);
      WatchEvent update = events.get(0);
      assertThat(update.type()).isEqualTo(WatchEvent.Type.PUT);
      assertThat(update.kv().createRevision()).isEqualTo(created);
      assertThat(update.kv().modRevision()).isEqualTo(updated);
      assertThat(update.kv().version()).isEqualTo(2);
      WatchEvent delete = events.get(1);
      assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
      assertThat(delete.kv().key()).isEqualTo(root + "w/a");
      assertThat(delete.kv().value()).isEmpty();
      assertThat(delete.revision()).isEqualTo(deleted.revision());
    }
  }

  @Test
  void eventsOfOneTxnArriveInOneCall() {
    RecordingListener listener = new RecordingListener();

    try (Watch ignored = store.watch(root + "w/", 0, listener)) {
      TxnResult result = store.txn(Txn.of(List.of(), List.of(new Put(root + "w/a", bytes("1")),
          new Put(root + "w/b", bytes("2")), new Put(root + "w/c", bytes("3")))));

      listener.awaitEvents(3, patience());
      assertThat(listener.batches()).hasSize(1);
      assertThat(listener.batches().get(0)).extracting(WatchEvent::revision)
          .containsOnly(result.revision());
      assertThat(listener.batches().get(0)).extracting(e -> e.kv().key())
          .containsExactlyInAnyOrder(root + "w/a", root + "w/b", root + "w/c");
    }
  }

  @Test
  void watchResumedFromLastSeenRevisionLosesAndRepeatsNothing() {
    RecordingListener first = new RecordingListener();
    Watch watch = store.watch(root + "w/", 0, first);
    put("w/1", "1");
    put("w/2", "2");
    List<WatchEvent> seen = first.awaitEvents(2, patience());
    watch.close();
    long lastSeen = seen.get(seen.size() - 1).revision();

    put("w/3", "3");
    put("w/4", "4");
    RecordingListener second = new RecordingListener();
    try (Watch ignored = store.watch(root + "w/", lastSeen + 1, second)) {
      put("w/5", "5");

      List<WatchEvent> resumed = second.awaitEvents(3, patience());
      assertThat(resumed).extracting(e -> e.kv().key())
          .containsExactly(root + "w/3", root + "w/4", root + "w/5");
    }
  }

  @Test
  void watchFromCompactedRevisionReportsCompactedAndRelistThenRewatchWorks() {
    long first = put("w/a", "1");
    put("w/a", "2");
    long third = put("w/b", "3");
    store.compact(third - 1);

    RecordingListener stale = new RecordingListener();
    try (Watch ignored = store.watch(root + "w/", first, stale)) {
      long reported = stale.awaitCompacted(patience());
      assertThat(reported).isGreaterThanOrEqualTo(first);
      assertThat(stale.events()).isEmpty();
    }

    RangeResult relist = store.range(root + "w/");
    assertThat(relist.kvs()).extracting(KeyValue::key).containsExactly(root + "w/a", root + "w/b");
    RecordingListener fresh = new RecordingListener();
    try (Watch ignored = store.watch(root + "w/", relist.revision() + 1, fresh)) {
      long next = put("w/c", "4");

      List<WatchEvent> events = fresh.awaitEvents(1, patience());
      assertThat(events).extracting(WatchEvent::revision).containsExactly(next);
      assertThat(fresh.compactedRevision()).isEqualTo(-1);
    }
  }

  @Test
  void watchAboveCompactedRevisionStillReplays() {
    put("w/a", "1");
    long second = put("w/a", "2");
    long third = put("w/a", "3");
    store.compact(second - 1);

    RecordingListener listener = new RecordingListener();
    try (Watch ignored = store.watch(root + "w/", second + 1, listener)) {
      List<WatchEvent> events = listener.awaitEvents(1, patience());
      assertThat(events).extracting(WatchEvent::revision).containsExactly(third);
    }
  }

  @Test
  void compactionKeepsCurrentValues() {
    put("a", "1");
    long last = put("a", "2");

    store.compact(last);

    assertThat(text(store.get(root + "a").orElseThrow())).isEqualTo("2");
    assertThat(store.revision()).isEqualTo(last);
  }

  // ---- leases -------------------------------------------------------------------------

  @Test
  void keepAliveReturnsTheGrantedTtl() {
    LeaseId lease = store.grantLease(Duration.ofSeconds(10));

    assertThat(lease.isNone()).isFalse();
    assertThat(store.keepAlive(lease)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void keyPutWithLeaseRecordsTheLease() {
    LeaseId lease = store.grantLease(Duration.ofSeconds(10));

    store.txn(Txn.of(List.of(), List.of(new Put(root + "leased", bytes("1"), lease))));

    assertThat(store.get(root + "leased").orElseThrow().lease()).isEqualTo(lease);
  }

  @Test
  void putWithUnknownLeaseIsRejected() {
    long before = put("x", "1");
    LeaseId unknown = new LeaseId(987_654_321L);

    assertThatThrownBy(() -> store.txn(Txn.of(List.of(),
        List.of(new Put(root + "k", bytes("1"), unknown)))))
        .isInstanceOf(LeaseNotFoundException.class);
    assertThat(store.get(root + "k")).isEmpty();
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void leaseExpiryDeletesAttachedKeysAndEmitsDeleteEvents() {
    Duration ttl = shortTtl();
    LeaseId lease = store.grantLease(ttl);
    long attached = store.txn(Txn.of(List.of(), List.of(new Put(root + "l/a", bytes("1"), lease),
        new Put(root + "l/b", bytes("2"), lease)))).revision();
    put("l/unleased", "stays");
    RecordingListener listener = new RecordingListener();

    try (Watch ignored = store.watch(root + "l/", attached + 1, listener)) {
      letLeaseTimePass(ttl.plusMillis(1));

      await().atMost(patience().plus(ttl)).until(() -> store.get(root + "l/a").isEmpty());
      assertThat(store.get(root + "l/b")).isEmpty();
      assertThat(store.get(root + "l/unleased")).isPresent();
      List<WatchEvent> events = listener.awaitEvents(3, patience());
      List<WatchEvent> deletes = events.stream()
          .filter(e -> e.type() == WatchEvent.Type.DELETE).toList();
      assertThat(deletes).extracting(e -> e.kv().key())
          .containsExactlyInAnyOrder(root + "l/a", root + "l/b");
      assertThat(deletes.get(0).revision()).isEqualTo(deletes.get(1).revision());
    }
  }

  @Test
  void keepAliveOfExpiredLeaseThrowsLeaseNotFound() {
    Duration ttl = shortTtl();
    LeaseId lease = store.grantLease(ttl);
    store.txn(Txn.of(List.of(), List.of(new Put(root + "l/a", bytes("1"), lease))));

    letLeaseTimePass(ttl.plusMillis(1));
    await().atMost(patience().plus(ttl)).until(() -> store.get(root + "l/a").isEmpty());

    assertThatThrownBy(() -> store.keepAlive(lease))
        .isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void revokeDeletesAttachedKeysInOneRevision() {
    LeaseId lease = store.grantLease(Duration.ofSeconds(30));
    store.txn(Txn.of(List.of(), List.of(new Put(root + "l/a", bytes("1"), lease),
        new Put(root + "l/b", bytes("2"), lease))));
    long before = store.revision();

    store.revokeLease(lease);

    assertThat(store.range(root + "l/").kvs()).isEmpty();
    assertThat(store.revision()).isEqualTo(before + 1);
    assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void revokingUnknownLeaseIsIgnored() {
    long before = put("x", "1");

    store.revokeLease(new LeaseId(987_654_321L));

    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void putWithoutLeaseDetachesKeyFromItsLease() {
    LeaseId lease = store.grantLease(Duration.ofSeconds(30));
    store.txn(Txn.of(List.of(), List.of(new Put(root + "a", bytes("1"), lease))));
    put("a", "2");

    store.revokeLease(lease);

    KeyValue kv = store.get(root + "a").orElseThrow();
    assertThat(text(kv)).isEqualTo("2");
    assertThat(kv.lease()).isEqualTo(LeaseId.NONE);
  }

  // ---- concurrency --------------------------------------------------------------------

  @Test
  void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
    String counter = root + "counter";
    put("counter", "0");
    int threads = 8;
    int incrementsEach = 20;
    AtomicInteger conflicts = new AtomicInteger();

    runConcurrently(threads, t -> {
      for (int done = 0; done < incrementsEach; ) {
        KeyValue kv = store.get(counter).orElseThrow();
        int next = Integer.parseInt(text(kv)) + 1;
        TxnResult result = store.txn(Txn.of(List.of(new Compare(counter, kv.modRevision())),
            List.of(new Put(counter, bytes(Integer.toString(next))))));
        if (result.succeeded()) {
          done++;
        } else {
          conflicts.incrementAndGet();
        }
      }
    });

    KeyValue last = store.get(counter).orElseThrow();
    assertThat(text(last)).isEqualTo(Integer.toString(threads * incrementsEach));
    assertThat(last.version()).isEqualTo(1 + threads * incrementsEach);
  }

  @Test
  void concurrentWritersGetDistinctIncreasingRevisionsThatAWatchSeesInOrder() throws Exception {
    int threads = 8;
    int putsEach = 40;
    List<Long> revisions = Collections.synchronizedList(new ArrayList<>());
    RecordingListener listener = new RecordingListener();

    try (Watch ignored = store.watch(root + "c/", 0, listener)) {
      runConcurrently(threads, t -> {
        for (int i = 0; i < putsEach; i++) {
          revisions.add(put("c/" + t + "/" + i, "v"));
        }
      });

      List<WatchEvent> events = listener.awaitEvents(threads * putsEach, patience());
      assertThat(revisions).doesNotHaveDuplicates().hasSize(threads * putsEach);
      assertThat(events).hasSize(threads * putsEach);
      assertThat(events).extracting(WatchEvent::revision)
          .isSorted().doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(revisions);
      assertThat(store.range(root + "c/").kvs()).hasSize(threads * putsEach);
    }
  }

  @Test
  void writesAreVisibleToReadsAsSoonAsTheyReturn() throws Exception {
    int threads = 4;
    runConcurrently(threads, t -> {
      for (int i = 0; i < 25; i++) {
        long rev = put("rw/" + t + "/" + i, Integer.toString(i));
        Optional<KeyValue> read = store.get(root + "rw/" + t + "/" + i);
        assertThat(read).hasValueSatisfying(kv -> assertThat(kv.modRevision()).isEqualTo(rev));
        assertThat(store.revision()).isGreaterThanOrEqualTo(rev);
      }
    });
  }

  // ---- helpers ------------------------------------------------------------------------

  /** Puts {@code root + relativeKey} and returns the revision of the write. */
  protected long put(String relativeKey, String value) {
    TxnResult result = store.txn(Txn.of(List.of(), List.of(new Put(root + relativeKey, bytes(value)))));
    assertThat(result.succeeded()).isTrue();
    return result.revision();
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  protected static String text(KeyValue kv) {
    return new String(kv.value(), UTF_8);
  }

  /** A body run by each of several threads at once; {@code thread} is its index. */
  protected interface ThreadBody {
    void run(int thread) throws Exception;
  }

  /** Runs {@code body} on {@code threads} threads started together; rethrows the first failure. */
  protected static void runConcurrently(int threads, ThreadBody body) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int index = t;
        futures.add(pool.submit(() -> {
          start.await();
          body.run(index);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }
  }
}
