package io.wharf.server.sequenced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventLog;
import io.wharf.server.events.EventType;
import io.wharf.server.events.InvolvedObject;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.sequenced.SequencedLog.Sequence;
import io.wharf.server.sequenced.SequencedLogPruner.Retention;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import io.wharf.testkit.etcd.EtcdFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared machinery of the events and the audit log: numbering that survives a restart and
 * never hands out a number twice across servers, and pruning from the oldest end by count and age.
 */
class SequencedLogTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();

  private static final SequencedLog LOG = new SequencedLog("/wharf/seq/test", "/wharf/test-log/");
  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir Path dir;

  @Test
  void keysAreTheNumberInSixteenDigitsAndOtherKeysHaveNoNumber() {
    assertThat(LOG.key(42)).isEqualTo("/wharf/test-log/0000000000000042");
    assertThat(LOG.sequenceOf("/wharf/test-log/0000000000000042")).isEqualTo(42);
    assertThat(LOG.sequenceOf("/wharf/test-log/42")).isEqualTo(-1);
    assertThat(LOG.sequenceOf("/wharf/test-log/00000000000000x2")).isEqualTo(-1);
    assertThat(LOG.sequenceOf("/wharf/other/0000000000000042")).isEqualTo(-1);
    assertThat(EventLog.key(7)).as("events keep their layout").isEqualTo("/wharf/r/events/0000000000000007");
  }

  @Test
  void numberingGoesOnAfterTheEmbeddedStoreIsReopened() {
    try (Store store = EmbeddedStore.open(dir)) {
      SequenceCounter counter = new SequenceCounter(store, LOG);
      assertThat(append(store, counter, "a", "b")).isTrue();
      assertThat(append(store, counter, "c")).isTrue();
    }
    try (Store store = EmbeddedStore.open(dir)) {
      assertThat(LOG.read(store).last()).isEqualTo(3);
      SequenceCounter counter = new SequenceCounter(store, LOG);
      assertThat(append(store, counter, "d")).isTrue();
      assertThat(values(store)).containsExactly("a", "b", "c", "d");
      assertThat(numbers(store)).containsExactly(1L, 2L, 3L, 4L);
      assertThat(counter.current().last()).isEqualTo(4);
    }
  }

  @Test
  void aWriterWhoseCachedCounterIsStaleLosesItsCompareAndNumbersAfterTheOtherOnceItForgets() {
    try (Store store = EmbeddedStore.open(dir)) {
      SequenceCounter one = new SequenceCounter(store, LOG);
      SequenceCounter two = new SequenceCounter(store, LOG);
      assertThat(append(store, one, "one-1")).isTrue();
      assertThat(append(store, two, "two-1")).isTrue();
      assertThat(append(store, one, "one-2")).as("one's counter is stale").isFalse();
      assertThat(append(store, one, "one-2")).as("after forgetting it reads it again").isTrue();
      assertThat(values(store)).containsExactly("one-1", "two-1", "one-2");
    }
  }

  @Test
  void twoServersOnOneEtcdHandOutDistinctNumbersInCommitOrder() throws Exception {
    String root = "/seqlog-" + System.nanoTime() + "/";
    try (Store first = EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot(root));
        Store second = EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot(root))) {
      int each = 40;
      List<Thread> servers = new ArrayList<>();
      for (Store store : List.of(first, second)) {
        ChangeWriter writer = new ChangeWriter(store, new EventLog(store, ResourceCodec.json()), InstantSource.system());
        String who = store == first ? "one" : "two";
        servers.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; i < each; i++) {
            String name = who + "-" + i;
            writer.write(now -> new ChangeWriter.Commit<>(List.of(),
                List.of(new Txn.Put("/wharf/r/configs/default/" + name, "{}".getBytes(StandardCharsets.UTF_8))),
                List.of(new EventDraft(EventType.Created, new InvolvedObject("Config", "default", name), "Test", "")),
                revision -> revision));
          }
        }));
      }
      for (Thread t : servers) {
        t.join();
      }
      List<KeyValue> events = first.range(EventLog.PREFIX).kvs();
      assertThat(events).extracting(kv -> EventLog.sequenceOf(kv.key()))
          .as("every number once, none skipped")
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 2L * each).boxed().toList());
      assertThat(events).extracting(KeyValue::modRevision).as("numbers follow commit order").isSorted()
          .doesNotHaveDuplicates();
      assertThat(EventLog.read(second).last()).isEqualTo(2L * each);
    }
  }

  @Test
  void pruningByCountKeepsTheNewestAndNumberingGoesOn() {
    try (Store store = EmbeddedStore.open(dir)) {
      SequenceCounter counter = new SequenceCounter(store, LOG);
      append(store, counter, "a", "b", "c", "d", "e");
      Retention keepThree = Retention.newest(3);
      assertThat(SequencedLogPruner.prune(store, LOG, keepThree, T0)).isEqualTo(2);
      assertThat(values(store)).containsExactly("c", "d", "e");
      assertThat(SequencedLogPruner.prune(store, LOG, keepThree, T0)).isZero();
      append(store, counter, "f");
      assertThat(numbers(store)).containsExactly(3L, 4L, 5L, 6L);
    }
  }

  @Test
  void pruningByAgeDropsOldEntriesFromTheOldestEndUpToTheFirstItKeeps() {
    try (Store store = EmbeddedStore.open(dir)) {
      SequenceCounter counter = new SequenceCounter(store, LOG);
      append(store, counter, at(-180), at(-120), "no time", at(-150), at(-30), at(-10));
      Retention hour = new Retention(100, Duration.ofHours(1), SequencedLogTest::time);
      assertThat(SequencedLogPruner.prune(store, LOG, hour, T0)).isEqualTo(2);
      assertThat(values(store)).as("an entry without a time is kept, and the old one behind it too")
          .containsExactly("no time", at(-150), at(-30), at(-10));
      Retention hourOrTwo = new Retention(2, Duration.ofHours(1), SequencedLogTest::time);
      assertThat(SequencedLogPruner.prune(store, LOG, hourOrTwo, T0)).as("the count pushes it out").isEqualTo(2);
      assertThat(values(store)).containsExactly(at(-30), at(-10));
      assertThat(SequencedLogPruner.prune(store, LOG, hour, T0.plus(Duration.ofMinutes(45)))).isEqualTo(1);
      assertThat(values(store)).containsExactly(at(-10));
    }
  }

  @Test
  void thePrunerPrunesOnItsOwnEveryInterval() {
    try (Store store = EmbeddedStore.open(dir);
        SequencedLogPruner pruner = new SequencedLogPruner(store, LOG, Retention.newest(2), Duration.ofMillis(20),
            InstantSource.system(), "test", "test entries")) {
      append(store, new SequenceCounter(store, LOG), "a", "b", "c", "d");
      await().atMost(Duration.ofSeconds(10)).until(() -> values(store).equals(List.of("c", "d")));
    }
  }

  @Test
  void aRetentionMustKeepAtLeastOneEntryAndAgesCannotBeNegative() {
    assertThatThrownBy(() -> Retention.newest(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retain must be >= 1");
    assertThatThrownBy(() -> new Retention(1, Duration.ofSeconds(-1), kv -> null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("max age must not be negative, got PT-1S");
  }

  /** Appends as {@link ChangeWriter} does; false when the counter was stale (it is then forgotten). */
  private static boolean append(Store store, SequenceCounter counter, String... values) {
    Sequence sequence = counter.current();
    TxnResult result = store.txn(Txn.of(List.of(LOG.compare(sequence)), LOG.appendOps(sequence, values.length,
        n -> values[(int) (n - sequence.last() - 1)].getBytes(StandardCharsets.UTF_8))));
    if (!result.succeeded()) {
      counter.forget();
      return false;
    }
    counter.committed(sequence, values.length, result.revision());
    return true;
  }

  private static List<String> values(Store store) {
    return store.range(LOG.prefix()).kvs().stream()
        .map(kv -> new String(kv.value(), StandardCharsets.UTF_8)).toList();
  }

  private static List<Long> numbers(Store store) {
    return store.range(LOG.prefix()).kvs().stream().map(kv -> LOG.sequenceOf(kv.key())).toList();
  }

  private static String at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes)).toString();
  }

  private static Instant time(KeyValue kv) {
    try {
      return Instant.parse(new String(kv.value(), StandardCharsets.UTF_8));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
