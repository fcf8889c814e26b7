package io.wharf.server.controller.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.workload.Dependency;
import io.wharf.model.workload.DependencyCondition;
import io.wharf.model.workload.JobPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DependencyGateTest {
  static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

  static DependencyState service(int desired, int running, int ready) {
    return new DependencyState.ServiceState(desired, running, ready);
  }

  static DependencyState job(JobPhase phase) {
    return new DependencyState.JobState(phase);
  }

  static Stream<Arguments> conditions() {
    return Stream.of(
        Arguments.of("started: all desired instances running", DependencyCondition.STARTED, service(2, 2, 0), null),
        Arguments.of("started: one of two running", DependencyCondition.STARTED, service(2, 1, 1),
            "waiting for service \"db\" to be started (1 of 2 running)"),
        Arguments.of("healthy: running but not ready", DependencyCondition.HEALTHY, service(2, 2, 1),
            "waiting for service \"db\" to be healthy (1 of 2 ready)"),
        Arguments.of("healthy: all ready", DependencyCondition.HEALTHY, service(2, 2, 2), null),
        Arguments.of("healthy: more ready than desired (a migration in flight)", DependencyCondition.HEALTHY,
            service(2, 3, 3), null),
        Arguments.of("started: a service scaled to zero is met", DependencyCondition.STARTED, service(0, 0, 0), null),
        Arguments.of("completed: a job that succeeded", DependencyCondition.COMPLETED, job(JobPhase.SUCCEEDED), null),
        Arguments.of("completed: a running job", DependencyCondition.COMPLETED, job(JobPhase.RUNNING),
            "waiting for job \"db\" to be completed (it is running)"),
        Arguments.of("completed: a failed job never completes", DependencyCondition.COMPLETED, job(JobPhase.FAILED),
            "waiting for job \"db\" to be completed (it is failed)"),
        Arguments.of("started: a running job", DependencyCondition.STARTED, job(JobPhase.RUNNING), null),
        Arguments.of("started: a pending job", DependencyCondition.STARTED, job(JobPhase.PENDING),
            "waiting for job \"db\" to be started (it is pending)"),
        Arguments.of("started: missing", DependencyCondition.STARTED, DependencyState.MISSING,
            "waiting for \"db\" to be started: no such service or job"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conditions")
  void eachConditionIsMetOnlyByItsState(String name, DependencyCondition condition, DependencyState state,
      String waitingFor) {
    Dependency db = new Dependency("db", condition, Duration.ofMinutes(1));
    DependencyGate.Verdict v = DependencyGate.check(List.of(db), n -> state, T0, T0.plusSeconds(10));
    if (waitingFor == null) {
      assertThat(v).isEqualTo(DependencyGate.OPEN);
    } else {
      assertThat(v).isEqualTo(new DependencyGate.Waiting(db, waitingFor, Duration.ofSeconds(50)));
    }
  }

  @Test
  void theFirstUnmetDependencyInDeclarationOrderIsNamed() {
    Dependency cache = new Dependency("cache", DependencyCondition.STARTED);
    Dependency db = new Dependency("db", DependencyCondition.HEALTHY);
    Map<String, DependencyState> states = Map.of("cache", service(1, 1, 1), "db", service(1, 1, 0));
    var v = DependencyGate.check(List.of(cache, db), states::get, null, T0);
    assertThat(v).isInstanceOf(DependencyGate.Waiting.class);
    assertThat(((DependencyGate.Waiting) v).dependency()).isEqualTo(db);
    assertThat(((DependencyGate.Waiting) v).left()).isEqualTo(Dependency.DEFAULT_TIMEOUT);
  }

  @Test
  void anUnmetDependencyPastItsTimeoutTimesOutEvenWhenAnEarlierOneStillWaits() {
    Dependency slow = new Dependency("slow", DependencyCondition.STARTED, Duration.ofMinutes(10));
    Dependency quick = new Dependency("quick", DependencyCondition.STARTED, Duration.ofSeconds(30));
    var v = DependencyGate.check(List.of(slow, quick), n -> service(1, 0, 0), T0, T0.plusSeconds(30));
    assertThat(v).isEqualTo(new DependencyGate.TimedOut(quick,
        "waiting for service \"quick\" to be started (0 of 1 running)"));
  }

  @Test
  void aMetDependencyNeverTimesOut() {
    Dependency db = new Dependency("db", DependencyCondition.STARTED, Duration.ofSeconds(1));
    assertThat(DependencyGate.check(List.of(db), n -> service(1, 1, 1), T0, T0.plus(Duration.ofHours(1))))
        .isEqualTo(DependencyGate.OPEN);
  }

  @Test
  void noDependenciesIsOpen() {
    assertThat(DependencyGate.check(List.of(), n -> DependencyState.MISSING, null, T0)).isEqualTo(DependencyGate.OPEN);
  }

  @Test
  void aWaitThatStartsInTheFutureCountsFromNow() {
    Dependency db = new Dependency("db", DependencyCondition.STARTED, Duration.ofSeconds(30));
    var v = DependencyGate.check(List.of(db), n -> service(1, 0, 0), T0.plusSeconds(60), T0);
    assertThat(v).isEqualTo(new DependencyGate.Waiting(db, "waiting for service \"db\" to be started (0 of 1 running)",
        Duration.ofSeconds(30)));
  }
}
