package io.wharf.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.RangeResult;
import io.wharf.store.RecordingListener;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import io.wharf.store.Txn.Compare;
import io.wharf.store.Txn.Delete;
import io.wharf.store.Txn.DeletePrefix;
import io.wharf.store.Txn.Put;
import io.wharf.store.TxnResult;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.testkit.etcd.EtcdFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** etcd-specific behaviour of {@link EtcdStore}; each test has its own key root in one etcd. */
class EtcdStoreTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();
  private static final AtomicInteger roots = new AtomicInteger();

  private EtcdStore store;

  @BeforeEach
  void connect() {
    store = EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot("/t" + roots.incrementAndGet() + "/")
        .withRequestTimeout(EtcdStoreContractTest.PATIENT));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void putIsReadBackWithItsRevisions() {
    TxnResult put = put("a", "1");
    put("a", "2");

    KeyValue kv = store.get("a").orElseThrow();

    assertThat(put.succeeded()).isTrue();
    assertThat(kv.key()).isEqualTo("a");
    assertThat(new String(kv.value(), UTF_8)).isEqualTo("2");
    assertThat(kv.createRevision()).isEqualTo(put.revision());
    assertThat(kv.modRevision()).isEqualTo(put.revision() + 1);
    assertThat(kv.version()).isEqualTo(2);
    assertThat(kv.lease()).isEqualTo(LeaseId.NONE);
    assertThat(store.revision()).isEqualTo(kv.modRevision());
  }

  @Test
  void missingKeyIsEmpty() {
    assertThat(store.get("nope")).isEmpty();
  }

  @Test
  void rangeListsOnlyKeysUnderThePrefixInByteOrder() {
    for (String k : List.of("p/b", "p/\u00e9", "p/a", "q/a", "p", "p/Z")) {
      put(k, k);
    }

    RangeResult all = store.range("p/");

    assertThat(all.kvs()).extracting(KeyValue::key).containsExactly("p/Z", "p/a", "p/b", "p/\u00e9");
    assertThat(all.more()).isFalse();
    assertThat(all.revision()).isEqualTo(store.revision());
  }

  @Test
  void rangePagesWithStartAfterAndLimit() {
    for (String k : List.of("p/1", "p/2", "p/3", "p/4", "p/5")) {
      put(k, k);
    }

    RangeResult first = store.range("p/", null, 2);
    RangeResult second = store.range("p/", "p/2", 2);
    RangeResult last = store.range("p/", "p/4", 2);
    RangeResult beyond = store.range("p/", "q", 0);

    assertThat(first.kvs()).extracting(KeyValue::key).containsExactly("p/1", "p/2");
    assertThat(first.more()).isTrue();
    assertThat(second.kvs()).extracting(KeyValue::key).containsExactly("p/3", "p/4");
    assertThat(second.more()).isTrue();
    assertThat(last.kvs()).extracting(KeyValue::key).containsExactly("p/5");
    assertThat(last.more()).isFalse();
    assertThat(beyond.kvs()).isEmpty();
  }

  @Test
  void emptyPrefixListsEveryKeyOfTheRootOnly() {
    put("x", "1");
    try (EtcdStore other = EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot("/other-root/"))) {
      other.txn(Txn.of(List.of(), List.of(new Put("y", bytes("2")))));

      assertThat(store.range("").kvs()).extracting(KeyValue::key).containsExactly("x");
      assertThat(other.get("x")).isEmpty();
    }
  }

  @Test
  void absentCompareCreatesOnlyOnce() {
    Txn create = Txn.of(List.of(Compare.absent("lock")), List.of(new Put("lock", bytes("me"))));

    TxnResult first = store.txn(create);
    TxnResult second = store.txn(create);

    assertThat(first.succeeded()).isTrue();
    assertThat(second.succeeded()).isFalse();
    assertThat(second.revision()).isEqualTo(first.revision());
  }

  @Test
  void staleModRevisionAppliesTheFailureBranch() {
    long created = put("k", "1").revision();
    put("k", "2");

    TxnResult result = store.txn(new Txn(List.of(new Compare("k", created)),
        List.of(new Put("k", bytes("lost update"))), List.of(new Put("conflicts", bytes("1")))));

    assertThat(result.succeeded()).isFalse();
    assertThat(new String(store.get("k").orElseThrow().value(), UTF_8)).isEqualTo("2");
    assertThat(store.get("conflicts")).isPresent();
  }

  @Test
  void deleteAndDeletePrefixRemoveOnlyTheirKeys() {
    for (String k : List.of("d/1", "d/2", "d2", "e")) {
      put(k, k);
    }

    TxnResult result = store.txn(Txn.of(List.of(), List.of(new DeletePrefix("d/"), new Delete("e"))));

    assertThat(result.succeeded()).isTrue();
    assertThat(store.range("").kvs()).extracting(KeyValue::key).containsExactly("d2");
  }

  @Test
  void transactionsBeyondEtcdsOperationLimitAreRejected() {
    int over = EtcdFixture.MAX_TXN_OPS + 1;
    List<Txn.Op> puts = java.util.stream.IntStream.range(0, over)
        .<Txn.Op>mapToObj(i -> new Put("k" + i, bytes("v"))).toList();

    assertThatThrownBy(() -> store.txn(Txn.of(List.of(), puts))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("too many operations in txn: " + over + " > etcd's --max-txn-ops");
    assertThat(store.range("").kvs()).isEmpty();
  }

  @Test
  void aTransactionAsLargeAsTheRaisedLimitsAllowCommitsAsOneRevision() {
    // 10,000 compares and 10,000 puts of 1 KB: needs the fixture's --max-txn-ops and
    // --max-request-bytes, far above etcd's defaults of 128 and 1.5 MiB.
    int n = EtcdFixture.MAX_TXN_OPS;
    List<Compare> absent = java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> new Compare("big/" + i, 0)).toList();
    List<Txn.Op> puts = java.util.stream.IntStream.range(0, n)
        .<Txn.Op>mapToObj(i -> new Put("big/" + i, new byte[1000])).toList();

    TxnResult result = store.txn(Txn.of(absent, puts));

    assertThat(result.succeeded()).isTrue();
    assertThat(store.range("big/").kvs()).hasSize(n)
        .allSatisfy(kv -> assertThat(kv.modRevision()).isEqualTo(result.revision()));
  }

  @ParameterizedTest(name = "{0} MiB")
  @ValueSource(ints = {16, 24})
  void aTransactionOverEtcdsRequestSizeIsRejectedAsTooLarge(int mib) {
    // 16 MiB of values plus framing passes etcd's gRPC limit (--max-request-bytes + 512 KiB) but
    // not its own request check; 24 MiB is refused by gRPC before etcd looks at it.
    List<Txn.Op> puts = java.util.stream.IntStream.range(0, mib)
        .<Txn.Op>mapToObj(i -> new Put("huge/" + i, new byte[1 << 20])).toList();

    assertThatThrownBy(() -> store.txn(Txn.of(List.of(new Compare("huge/0", 0)), puts)))
        .isInstanceOf(io.wharf.store.TxnTooLargeException.class)
        .hasMessageStartingWith("txn too large for etcd's --max-request-bytes");
    assertThat(store.range("huge/").kvs()).isEmpty();
  }

  @Test
  void theStoreReportsTheLimitsItsOptionsName() {
    assertThat(store.limits()).isEqualTo(io.wharf.store.StoreLimits.ETCD_DEFAULTS);
    try (EtcdStore raised = EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint())
        .withLimits(new io.wharf.store.StoreLimits(10_000, 10L << 20)))) {
      assertThat(raised.limits()).isEqualTo(new io.wharf.store.StoreLimits(10_000, 10L << 20));
    }
  }

  @Test
  void putAndDeleteOfOneKeyInOneBranchIsRejected() {
    assertThatThrownBy(() -> store.txn(Txn.of(List.of(), List.of(new Put("k", bytes("v")), new Delete("k")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("txn writes duplicate key k more than once");
  }

  @Test
  void transactionThatChangesNothingKeepsTheRevision() {
    long before = put("k", "v").revision();

    TxnResult result = store.txn(Txn.of(List.of(), List.of(new Delete("missing"))));

    assertThat(result.revision()).isEqualTo(before);
  }

  @Test
  void revokingALeaseDeletesItsKeys() {
    LeaseId lease = store.grantLease(Duration.ofSeconds(30));
    store.txn(Txn.of(List.of(), List.of(new Put("owned", bytes("1"), lease))));
    assertThat(store.get("owned").orElseThrow().lease()).isEqualTo(lease);

    store.revokeLease(lease);

    assertThat(store.get("owned")).isEmpty();
    store.revokeLease(lease); // unknown leases are ignored
  }

  @Test
  void keepAliveRenewsTheTtlAndFailsForAnUnknownLease() {
    LeaseId lease = store.grantLease(Duration.ofSeconds(30));

    assertThat(store.keepAlive(lease)).isEqualTo(Duration.ofSeconds(30));
    store.revokeLease(lease);
    assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(LeaseNotFoundException.class)
        .hasMessage("lease " + lease.id() + " not found or expired");
  }

  @Test
  void putWithAnUnknownLeaseFailsWithLeaseNotFound() {
    LeaseId unknown = new LeaseId(0x7777_0000_1111L);

    assertThatThrownBy(() -> store.txn(Txn.of(List.of(), List.of(new Put("k", bytes("v"), unknown)))))
        .isInstanceOf(LeaseNotFoundException.class)
        .hasMessage("lease " + unknown.id() + " not found or expired");
    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void expiredLeaseTakesItsKeysWithIt() {
    LeaseId lease = store.grantLease(Duration.ofSeconds(1));
    store.txn(Txn.of(List.of(), List.of(new Put("ephemeral", bytes("1"), lease))));

    await().atMost(Duration.ofSeconds(15)).until(() -> store.get("ephemeral").isEmpty());
    assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void watchReplaysHistoryThenFollowsWithOneCallPerTransaction() {
    long first = put("w/a", "1").revision();
    put("other", "x");
    RecordingListener listener = new RecordingListener();

    try (Watch ignored = store.watch("w/", first, listener)) {
      store.txn(Txn.of(List.of(), List.of(new Put("w/b", bytes("2")), new Put("w/c", bytes("3")))));
      long deleted = store.txn(Txn.of(List.of(), List.of(new Delete("w/a")))).revision();

      await().until(() -> listener.events().size() == 4);
      assertThat(keys(listener)).containsExactly("w/a", "w/b", "w/c", "w/a");
      assertThat(listener.batches()).filteredOn(b -> b.stream().anyMatch(e -> e.kv().key().equals("w/b")))
          .singleElement().satisfies(b -> assertThat(b).extracting(e -> e.kv().key()).contains("w/b", "w/c"));
      WatchEvent delete = listener.events().get(3);
      assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
      assertThat(delete.kv().value()).isEmpty();
      assertThat(delete.revision()).isEqualTo(deleted);
      assertThat(delete.prev().value()).isEqualTo(bytes("1"));
    }
  }

  @Test
  void watchFromZeroSeesOnlyLaterChanges() {
    put("w/old", "1");
    RecordingListener listener = new RecordingListener();

    try (Watch ignored = store.watch("w/", 0, listener)) {
      long rev = put("w/new", "2").revision();

      await().until(() -> !listener.events().isEmpty());
      assertThat(keys(listener)).containsExactly("w/new");
      assertThat(revisions(listener)).containsExactly(rev);
    }
  }

  @Test
  void watchFromACompactedRevisionIsToldTheCompactRevision() {
    long first = put("c/a", "1").revision();
    long second = put("c/a", "2").revision();
    store.compact(second);
    RecordingListener atCompacted = new RecordingListener();
    RecordingListener afterCompacted = new RecordingListener();

    try (Watch a = store.watch("c/", second, atCompacted); Watch b = store.watch("c/", second + 1, afterCompacted)) {
      long third = put("c/a", "3").revision();

      await().until(() -> atCompacted.compactedRevision() >= 0 && !afterCompacted.events().isEmpty());
      assertThat(atCompacted.compactedRevision()).isEqualTo(second);
      assertThat(atCompacted.events()).isEmpty();
      assertThat(revisions(afterCompacted)).containsExactly(third);
      assertThat(afterCompacted.compactedRevision()).isEqualTo(-1);
    }
    store.compact(first); // compacting below what is already compacted is a no-op
  }

  @Test
  void compactingBeyondTheCurrentRevisionIsRejected() {
    long current = put("k", "v").revision();

    assertThatThrownBy(() -> store.compact(current + 5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot compact revision " + (current + 5) + ": the store is at revision " + current);
  }

  @Test
  void closedWatchGetsNoMoreEvents() {
    RecordingListener listener = new RecordingListener();
    Watch watch = store.watch("w/", 0, listener);
    put("w/1", "1");
    await().until(() -> listener.events().size() == 1);

    watch.close();
    watch.close();
    put("w/2", "2");
    RecordingListener witness = new RecordingListener();
    try (Watch ignored = store.watch("w/", store.revision(), witness)) {
      await().until(() -> witness.events().size() == 1);
    }

    assertThat(keys(listener)).containsExactly("w/1");
  }

  @Test
  void closingTheStoreEndsItsWatchesAndCalls() {
    RecordingListener listener = new RecordingListener();
    store.watch("w/", 0, listener);

    store.close();

    await().until(() -> listener.error() != null);
    assertThat(listener.error()).isInstanceOf(StoreException.class)
        .hasMessage("etcd store for " + etcd.endpoint() + " is closed; cannot keep watching");
    assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreException.class)
        .hasMessage("etcd store for " + etcd.endpoint() + " is closed; cannot get k");
  }

  private static List<String> keys(RecordingListener listener) {
    return listener.events().stream().map(e -> e.kv().key()).toList();
  }

  private static List<Long> revisions(RecordingListener listener) {
    return listener.events().stream().map(WatchEvent::revision).toList();
  }

  private TxnResult put(String key, String value) {
    return store.txn(Txn.of(List.of(), List.of(new Put(key, bytes(value)))));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
