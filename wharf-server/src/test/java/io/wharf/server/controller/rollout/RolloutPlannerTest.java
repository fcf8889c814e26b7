package io.wharf.server.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.workload.RolloutPhase;
import io.wharf.model.workload.UpdateSpec;
import io.wharf.model.workload.UpdateStrategy;
import io.wharf.server.controller.rollout.RolloutPlanner.Decision;
import io.wharf.server.controller.rollout.RolloutPlanner.Input;
import io.wharf.server.controller.rollout.RolloutPlanner.Member;
import io.wharf.server.controller.rollout.RolloutPlanner.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutPlannerTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Instant NOW = T0.plusSeconds(60);

  static UpdateSpec rolling(int parallelism, int maxSurge) {
    return new UpdateSpec(UpdateStrategy.ROLLING, parallelism, maxSurge, 0, 0, Duration.ofSeconds(10),
        Duration.ofSeconds(50), true, false, Duration.ofMinutes(5));
  }

  static UpdateSpec canary(int canaries, boolean autoPromote) {
    return new UpdateSpec(UpdateStrategy.CANARY, 1, 1, canaries, 10, Duration.ofSeconds(10),
        Duration.ofSeconds(50), true, autoPromote, Duration.ofMinutes(5));
  }

  /** Old instances, ready for long. */
  static List<Member> old(int n) {
    List<Member> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Member("old-" + i, false, T0, false, T0));
    }
    return out;
  }

  /** New instances healthy for longer than minHealthyTime. */
  static List<Member> updated(int n) {
    List<Member> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Member("new-" + i, true, NOW.minusSeconds(30), false, NOW.minusSeconds(40)));
    }
    return out;
  }

  /** New instances just started, not ready yet. */
  static List<Member> starting(int n) {
    List<Member> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Member("starting-" + i, true, null, false, NOW.minusSeconds(5)));
    }
    return out;
  }

  @SafeVarargs
  static List<Member> all(List<Member>... parts) {
    List<Member> out = new ArrayList<>();
    for (List<Member> p : parts) {
      out.addAll(p);
    }
    return out;
  }

  static Decision plan(UpdateSpec u, int replicas, List<Member> members) {
    return RolloutPlanner.plan(new Input(u, replicas, RolloutPhase.PROGRESSING, false, NOW.minusSeconds(30),
        NOW.minusSeconds(30), members, NOW));
  }

  record Case(UpdateSpec update, int replicas, List<Member> members, int start, int stop) {}

  static Stream<Arguments> steps() {
    return Stream.of(
        Arguments.of(Named.of("start-first: one new beside three old", new Case(rolling(1, 1), 3, old(3), 1, 0))),
        Arguments.of(Named.of("start-first: nothing while one is in flight",
            new Case(rolling(1, 1), 3, all(old(3), starting(1)), 0, 0))),
        Arguments.of(Named.of("start-first: an updated one lets an old one go and the next start",
            new Case(rolling(1, 1), 3, all(old(3), updated(1)), 1, 1))),
        Arguments.of(Named.of("start-first: surge 2 starts two at once", new Case(rolling(2, 2), 3, old(3), 2, 0))),
        Arguments.of(Named.of("start-first: parallelism bounds the surge", new Case(rolling(1, 3), 3, old(3), 1, 0))),
        Arguments.of(Named.of("start-first: two updated retire two old, the last one starts",
            new Case(rolling(2, 2), 3, all(old(3), updated(2)), 1, 2))),
        Arguments.of(Named.of("stop-first: parallelism old stop and as many start",
            new Case(rolling(2, 0), 3, old(3), 2, 2))),
        Arguments.of(Named.of("stop-first: holes from stopped ones are filled, nothing more stops",
            new Case(rolling(2, 0), 3, old(1), 2, 0))),
        Arguments.of(Named.of("stop-first: in-flight ones use up the budget",
            new Case(rolling(2, 0), 3, all(old(1), starting(2)), 0, 0))),
        Arguments.of(Named.of("stop-first: once updated, the last old one is replaced",
            new Case(rolling(2, 0), 3, all(old(1), updated(2)), 1, 1))),
        Arguments.of(Named.of("scaled down mid-rollout: surplus old ones stop",
            new Case(rolling(1, 1), 2, all(old(3), updated(1)), 1, 2))),
        Arguments.of(Named.of("no old instances: the count step places, the planner waits",
            new Case(rolling(1, 1), 3, starting(1), 0, 0))),
        Arguments.of(Named.of("canary: canaries start beside every old one",
            new Case(canary(1, false), 3, old(3), 1, 0))),
        Arguments.of(Named.of("canary: nothing more while the canary is in flight",
            new Case(canary(1, false), 3, all(old(3), starting(1)), 0, 0))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("steps")
  void startsAndStopsWhatTheSettingsAllow(Case c) {
    Decision d = plan(c.update(), c.replicas(), c.members());
    assertThat(d.outcome()).isEqualTo(Outcome.CONTINUE);
    assertThat(d.start()).as("start").isEqualTo(c.start());
    assertThat(d.stop()).as("stop").hasSize(c.stop());
  }

  @Test
  void oldInstancesThatAreNotReadyStopFirst() {
    List<Member> members = all(old(2), List.of(new Member("a-broken", false, null, false, T0)), updated(1));
    Decision d = plan(rolling(1, 1), 3, members);
    assertThat(d.stop()).containsExactly("a-broken");
  }

  @Test
  void everyInstanceUpdatedAndNoOldOneLeftSucceeds() {
    Decision d = plan(rolling(1, 1), 3, updated(3));
    assertThat(d.outcome()).isEqualTo(Outcome.SUCCEED);
    assertThat(d.message()).isEqualTo("3 of 3 instances updated");
  }

  @Test
  void aNewInstanceIsUpdatedOnlyAfterMinHealthyTime() {
    Member readyFor5s = new Member("new-0", true, NOW.minusSeconds(5), false, NOW.minusSeconds(6));
    Decision d = plan(rolling(1, 1), 1, List.of(readyFor5s));
    assertThat(d.outcome()).isEqualTo(Outcome.CONTINUE);
    assertThat(d.updated()).isZero();
    assertThat(d.recheck()).as("looks again when the 10s are up").isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aNewInstanceNotHealthyWithinTheHealthyDeadlineFailsTheRollout() {
    Member late = new Member("new-0", true, null, false, NOW.minusSeconds(50));
    Decision d = plan(rolling(1, 1), 3, all(old(3), List.of(late)));
    assertThat(d.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(d.message()).isEqualTo("instance new-0 was not healthy within 50s");
  }

  @Test
  void aNewInstanceThatEndedFailsTheRollout() {
    Member ended = new Member("new-0", true, null, true, NOW.minusSeconds(2));
    Decision d = plan(rolling(1, 1), 3, all(old(3), List.of(ended)));
    assertThat(d.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(d.message()).isEqualTo("instance new-0 ended before it was healthy");
  }

  @Test
  void noProgressForTheProgressDeadlineFailsTheRollout() {
    Decision d = RolloutPlanner.plan(new Input(rolling(1, 1), 3, RolloutPhase.PROGRESSING, false,
        NOW.minusSeconds(600), NOW.minusSeconds(300), all(old(3), starting(1)), NOW));
    assertThat(d.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(d.message()).isEqualTo("no instance became healthy for 5m");
  }

  @Test
  void aPausedCanaryIsNotFailedByTheProgressDeadline() {
    Decision d = RolloutPlanner.plan(new Input(canary(1, false), 3, RolloutPhase.PAUSED, false,
        NOW.minusSeconds(3600), NOW.minusSeconds(3600), all(old(3), updated(1)), NOW));
    assertThat(d.outcome()).isEqualTo(Outcome.PAUSE);
  }

  @Test
  void healthyCanariesPauseForPromotion() {
    Decision d = plan(canary(1, false), 3, all(old(3), updated(1)));
    assertThat(d.outcome()).isEqualTo(Outcome.PAUSE);
    assertThat(d.message()).isEqualTo("1 canary healthy: waiting for promotion");
  }

  @Test
  void healthyCanariesArePromotedWithAutoPromote() {
    Decision d = plan(canary(2, true), 3, all(old(3), updated(2)));
    assertThat(d.outcome()).isEqualTo(Outcome.PROMOTE);
    assertThat(d.message()).isEqualTo("2 canaries healthy: promoted automatically");
  }

  @Test
  void afterPromotionTheCanariesReplaceOldOnesAndTheRestRolls() {
    Decision d = RolloutPlanner.plan(new Input(canary(1, false), 3, RolloutPhase.PROGRESSING, true,
        NOW.minusSeconds(30), NOW.minusSeconds(30), all(old(3), updated(1)), NOW));
    assertThat(d.outcome()).isEqualTo(Outcome.CONTINUE);
    assertThat(d.stop()).hasSize(1);
    assertThat(d.start()).isEqualTo(1);
  }

  @Test
  void totalNeverExceedsReplicasPlusSurgeAndUpdatedPlusOldNeverDropBelowReplicas() {
    // Walk whole rollouts: each pass applies the decision, new ones become updated a pass later.
    for (int replicas = 1; replicas <= 6; replicas++) {
      for (int parallelism = 1; parallelism <= 3; parallelism++) {
        for (int surge = 0; surge <= 2; surge++) {
          walk(replicas, parallelism, surge);
        }
      }
    }
  }

  private static void walk(int replicas, int parallelism, int surge) {
    int old = replicas;
    int fresh = 0;
    int inFlight = 0;
    String label = "replicas " + replicas + ", parallelism " + parallelism + ", surge " + surge;
    for (int pass = 0; pass < 100; pass++) {
      Decision d = plan(rolling(parallelism, surge), replicas, all(old(old), updated(fresh - inFlight),
          starting(inFlight)));
      if (d.outcome() == Outcome.SUCCEED) {
        assertThat(old).as(label).isZero();
        return;
      }
      // What was in flight is updated by the next pass; apply the decision.
      old -= d.stop().size();
      fresh += d.start();
      inFlight = d.start();
      assertThat(old + fresh).as(label + ": total").isLessThanOrEqualTo(replicas + surge);
      assertThat(inFlight).as(label + ": in flight").isLessThanOrEqualTo(parallelism);
      if (surge > 0) {
        assertThat(old + fresh - inFlight).as(label + ": available").isGreaterThanOrEqualTo(replicas);
      } else {
        assertThat(old + fresh - inFlight).as(label + ": available")
            .isGreaterThanOrEqualTo(replicas - parallelism);
      }
    }
    throw new AssertionError(label + ": did not finish in 100 passes");
  }
}
