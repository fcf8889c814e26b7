package io.wharf.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.wharf.store.KeyValue;
import io.wharf.store.RecordingListener;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import io.wharf.store.Txn.Compare;
import io.wharf.store.Txn.Put;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.testkit.etcd.EtcdFixture;
import io.wharf.testkit.net.LoopbackPorts;
import io.wharf.testkit.net.LoopbackProxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link EtcdStore} when etcd dies (kill -9), comes back, or never answers. One etcd per test. */
class EtcdStoreOutageTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  @RegisterExtension
  final EtcdFixture etcd = new EtcdFixture();

  @Test
  void watchResumesAfterEtcdIsKilledAndRestartedWithoutLosingOrRepeatingEvents() {
    try (EtcdStore store = connect(Duration.ofSeconds(60))) {
      RecordingListener listener = new RecordingListener();
      try (Watch ignored = store.watch("w/", 0, listener)) {
        for (int i = 0; i < 5; i++) {
          create(store, "w/before-" + i);
        }
        listener.awaitEvents(5, Duration.ofSeconds(15));

        etcd.kill();
        etcd.restart();
        // Written while the watch is still reconnecting: it must pick these up from its last revision.
        for (int i = 0; i < 5; i++) {
          create(store, "w/after-" + i);
        }
        List<Long> committed = store.range("w/").kvs().stream().map(KeyValue::modRevision).sorted().toList();

        List<WatchEvent> events = listener.awaitEvents(10, Duration.ofSeconds(30));
        assertThat(events).extracting(WatchEvent::revision).containsExactlyElementsOf(committed);
        assertThat(events).extracting(e -> e.kv().key()).doesNotHaveDuplicates();
        assertThat(listener.error()).isNull();

        long later = store.txn(Txn.of(List.of(), List.of(new Put("w/later", "x".getBytes(UTF_8))))).revision();
        assertThat(listener.awaitEvents(11, Duration.ofSeconds(15)))
            .extracting(WatchEvent::revision).endsWith(later).hasSize(11);
      }
    }
  }

  @Test
  void watchDeliversEveryCommittedChangeExactlyOnceWhileEtcdIsKilledUnderWriteLoad() throws Exception {
    try (EtcdStore store = connect(Duration.ofSeconds(60));
        EtcdStore writerStore = connect(Duration.ofSeconds(60))) {
      RecordingListener listener = new RecordingListener();
      try (Watch ignored = store.watch("w/", 0, listener)) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        Thread writer = Thread.ofVirtual().start(() -> {
          while (!stop.get()) {
            create(writerStore, "w/" + written.getAndIncrement());
          }
        });
        for (int crash = 1; crash <= 2; crash++) {
          int before = written.get();
          await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= before + 20);
          etcd.kill();
          etcd.restart();
        }
        int last = written.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= last + 20);
        stop.set(true);
        writer.join(Duration.ofSeconds(40));
        List<Long> committed = store.range("w/").kvs().stream().map(KeyValue::modRevision).sorted().toList();

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.events().size() >= committed.size());
        assertThat(listener.events()).extracting(WatchEvent::revision).containsExactlyElementsOf(committed);
        assertThat(listener.error()).isNull();
      }
    }
  }

  @Test
  void watchCutOffFromEtcdCatchesUpOnEveryChangeMadeMeanwhile() {
    try (LoopbackProxy proxy = new LoopbackProxy(etcd.clientPort());
        EtcdStore watching = connectThrough(proxy);
        EtcdStore writer = connect(Duration.ofSeconds(60))) {
      RecordingListener listener = new RecordingListener();
      try (Watch ignored = watching.watch("w/", 0, listener)) {
        long first = put(writer, "w/a");
        listener.awaitEvents(1, Duration.ofSeconds(15));

        proxy.cut();
        long second = put(writer, "w/b");
        long third = put(writer, "w/c");
        long deleted = writer.txn(Txn.of(List.of(), List.of(new Txn.Delete("w/a")))).revision();
        proxy.restore();

        List<WatchEvent> events = listener.awaitEvents(4, Duration.ofSeconds(30));
        assertThat(events).extracting(WatchEvent::revision).containsExactly(first, second, third, deleted);
        assertThat(events.get(3).type()).isEqualTo(WatchEvent.Type.DELETE);
        assertThat(listener.error()).isNull();
      }
    }
  }

  @Test
  void watchCutOffAcrossACompactionIsToldToRelist() {
    try (LoopbackProxy proxy = new LoopbackProxy(etcd.clientPort());
        EtcdStore watching = connectThrough(proxy);
        EtcdStore writer = connect(Duration.ofSeconds(60))) {
      RecordingListener listener = new RecordingListener();
      try (Watch ignored = watching.watch("w/", 0, listener)) {
        long first = put(writer, "w/a");
        listener.awaitEvents(1, Duration.ofSeconds(15));

        proxy.cut();
        put(writer, "w/b");
        long third = put(writer, "w/c");
        writer.compact(third);
        proxy.restore();

        assertThat(listener.awaitCompacted(Duration.ofSeconds(30))).isEqualTo(third);
        assertThat(listener.events()).extracting(WatchEvent::revision).containsExactly(first);
      }
    }
  }

  @Test
  void callsToAStoppedEtcdFailWithinTheTimeoutNamingTheEndpoint() {
    try (EtcdStore store = connect(Duration.ofSeconds(30))) {
      store.txn(Txn.of(List.of(), List.of(new Put("k", "v".getBytes(UTF_8)))));
      etcd.kill();

      StoreException failure = assertTimeoutPreemptively(REQUEST_TIMEOUT.multipliedBy(5),
          () -> catchStoreException(() -> store.get("k")));

      assertThat(failure).hasMessageStartingWith("etcd unavailable at " + etcd.endpoint() + ": get k ");
      assertTimeoutPreemptively(REQUEST_TIMEOUT.multipliedBy(5), () -> {
        assertThatThrownBy(() -> store.txn(Txn.of(List.of(), List.of(new Put("k", new byte[0])))))
            .isInstanceOf(StoreException.class).hasMessageStartingWith("etcd unavailable at " + etcd.endpoint());
        assertThatThrownBy(() -> store.grantLease(Duration.ofSeconds(5)))
            .isInstanceOf(StoreException.class).hasMessageStartingWith("etcd unavailable at " + etcd.endpoint());
      });
    }
  }

  @Test
  void storeServesAgainOnceEtcdIsBack() {
    try (EtcdStore store = connect(Duration.ofSeconds(30))) {
      store.txn(Txn.of(List.of(), List.of(new Put("k", "v".getBytes(UTF_8)))));
      etcd.kill();
      assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreException.class);

      etcd.restart();

      await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StoreException.class)
          .until(() -> store.get("k").isPresent());
      assertThat(new String(store.get("k").orElseThrow().value(), UTF_8)).isEqualTo("v");
    }
  }

  @Test
  void endpointNobodyListensOnFailsWithinTheTimeout() {
    String nowhere = "http://127.0.0.1:" + LoopbackPorts.free();
    try (EtcdStore store = EtcdStore.connect(EtcdStoreOptions.of(nowhere).withRequestTimeout(REQUEST_TIMEOUT))) {
      StoreException failure = assertTimeoutPreemptively(REQUEST_TIMEOUT.multipliedBy(5),
          () -> catchStoreException(store::revision));

      assertThat(failure).hasMessageStartingWith("etcd unavailable at " + nowhere + ": read revision ");
    }
  }

  @Test
  void watchGivesUpWhenEtcdStaysAwayLongerThanTheReconnectWindow() {
    try (EtcdStore store = connect(Duration.ofSeconds(1))) {
      RecordingListener listener = new RecordingListener();
      store.watch("w/", 0, listener);

      etcd.kill();

      await().atMost(Duration.ofSeconds(20)).until(() -> listener.error() != null);
      assertThat(listener.error()).isInstanceOf(StoreException.class)
          .hasMessage("etcd unavailable at " + etcd.endpoint() + ": watch on 'w/' could not reconnect within PT1S");
    }
  }

  private static EtcdStore connectThrough(LoopbackProxy proxy) {
    return warm(EtcdStore.connect(EtcdStoreOptions.of(proxy.httpEndpoint()).withRequestTimeout(REQUEST_TIMEOUT)
        .withWatchReconnectWindow(Duration.ofSeconds(60))));
  }

  /**
   * Makes a first successful call: the first call of a JVM initializes jetcd's gRPC stack, which
   * can take longer than the short timeout these tests use when the machine is loaded.
   */
  private static EtcdStore warm(EtcdStore store) {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(StoreException.class)
        .until(() -> store.revision() > 0);
    return store;
  }

  private static long put(EtcdStore store, String key) {
    return store.txn(Txn.of(List.of(), List.of(new Put(key, key.getBytes(UTF_8))))).revision();
  }

  private EtcdStore connect(Duration watchReconnectWindow) {
    return warm(EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRequestTimeout(REQUEST_TIMEOUT)
        .withWatchReconnectWindow(watchReconnectWindow)));
  }

  /**
   * Creates {@code key} exactly once even while etcd is coming back: a create-only transaction
   * retried until it either succeeds or finds the key (an earlier attempt went through).
   */
  private static void create(EtcdStore store, String key) {
    Txn txn = Txn.of(List.of(Compare.absent(key)), List.of(new Put(key, key.getBytes(UTF_8))));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(StoreException.class)
        .until(() -> store.txn(txn).succeeded() || store.get(key).isPresent());
  }

  private static StoreException catchStoreException(Runnable call) {
    try {
      call.run();
    } catch (StoreException e) {
      return e;
    }
    throw new AssertionError("expected a StoreException");
  }
}
