package io.wharf.server.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.server.fixture.TestStores;
import io.wharf.store.LeaseId;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderElectionTest {
  private static final Duration TTL = Duration.ofSeconds(1);

  @TempDir
  Path dir;

  private Store store;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @BeforeEach
  void openStore() {
    store = TestStores.open(dir);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    store.close();
  }

  /** Records what the election asked of its server. */
  static final class RecordingDuties implements LeaderElection.Duties {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void elected(Term term) {
      calls.add("elected " + term.revision());
    }

    @Override
    public void demoted(Term term, String reason) {
      calls.add("demoted " + term.revision() + ": " + reason);
    }
  }

  private LeaderElection started(Store on, String id, RecordingDuties duties) {
    var election = new LeaderElection(on, id, "http://" + id, TTL, InstantSource.system(), duties);
    open.add(election);
    election.start();
    return election;
  }

  @Test
  void exactlyOneOfThreeServersLeadsAndAnotherTakesOverWhenItStepsDown() {
    var duties = List.of(new RecordingDuties(), new RecordingDuties(), new RecordingDuties());
    var elections = List.of(started(store, "a", duties.get(0)), started(store, "b", duties.get(1)),
        started(store, "c", duties.get(2)));

    assertThat(elections.stream().filter(LeaderElection::isLeader)).hasSize(1);
    LeaderElection first = elections.stream().filter(LeaderElection::isLeader).findFirst().orElseThrow();
    assertThat(first.leader()).get().extracting(LeaderInfo::id).isEqualTo(first.id());

    first.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> elections.stream().filter(LeaderElection::isLeader).count() == 1);
    LeaderElection second = elections.stream().filter(LeaderElection::isLeader).findFirst().orElseThrow();
    assertThat(second).isNotSameAs(first);
    assertThat(second.leader()).get().extracting(LeaderInfo::id).isEqualTo(second.id());
    assertThat(duties.get(elections.indexOf(first)).calls).hasSize(2)
        .last().asString().endsWith("server shutting down");
  }

  @Test
  void theSoleServerOfAStoreLeadsWithoutWritingAnything() {
    long before = store.revision();
    var duties = new RecordingDuties();
    var election = new LeaderElection(store, "a", "http://a", TTL, InstantSource.system(), true, duties);
    open.add(election);
    election.start();

    assertThat(election.isLeader()).isTrue();
    assertThat(election.term()).contains(Term.SOLE);
    assertThat(Term.SOLE.fence()).isEmpty();
    assertThat(election.leader()).get().extracting(LeaderInfo::id).isEqualTo("a");
    assertThat(store.revision()).isEqualTo(before);
    assertThat(duties.calls).containsExactly("elected 0");
  }

  @Test
  void aLeaderWhoseKeyVanishesStepsDownAndItsFenceNoLongerHolds() {
    var duties = new RecordingDuties();
    LeaderElection election = started(store, "a", duties);
    Term term = election.term().orElseThrow();

    store.txn(Txn.of(List.of(), List.of(new Txn.Delete(LeaderElection.KEY))));

    await().atMost(Duration.ofSeconds(5)).until(() -> duties.calls.stream().anyMatch(c -> c.startsWith("demoted")));
    var fenced = store.txn(Txn.of(term.fence(), List.of(new Txn.Put("/x", "late".getBytes(StandardCharsets.UTF_8)))));
    assertThat(fenced.succeeded()).isFalse();
    assertThat(store.get("/x")).isEmpty();
    // It campaigns again and wins a new term with a new fence.
    await().atMost(Duration.ofSeconds(5)).until(election::isLeader);
    assertThat(election.term().orElseThrow().revision()).isGreaterThan(term.revision());
  }

  @Test
  void aLeaderCutOffFromTheStoreStepsDownBeforeItsLeaseCouldLapse() {
    var cut = new AtomicBoolean();
    Store partitioned = new KeepAliveCutOff(store, cut);
    var duties = new RecordingDuties();
    LeaderElection election = started(partitioned, "a", duties);
    assertThat(election.isLeader()).isTrue();

    cut.set(true);

    await().atMost(Duration.ofSeconds(5)).until(() -> duties.calls.size() >= 2);
    assertThat(duties.calls.get(1)).endsWith(": no lease renewal for 666 ms");
  }

  /** The real store, except that lease renewals fail while {@code cut} is set (a partition). */
  private static final class KeepAliveCutOff extends io.wharf.store.ForwardingStore {
    private final AtomicBoolean cut;

    KeepAliveCutOff(Store delegate, AtomicBoolean cut) {
      super(delegate);
      this.cut = cut;
    }

    @Override
    public Duration keepAlive(LeaseId lease) {
      if (cut.get()) {
        throw new StoreException("partitioned");
      }
      return super.keepAlive(lease);
    }

    @Override
    public void close() {} // the test closes the real store
  }
}
