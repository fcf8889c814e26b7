package io.wharf.server.controller.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.ResourceRef;
import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.RestartMode;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.JobAttempt;
import io.wharf.model.workload.JobPhase;
import io.wharf.model.workload.JobSpec;
import io.wharf.model.workload.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The job's step decisions as a specification: job + instances + time in, status and action out. */
class JobStepsTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final RestartPolicy BACKOFF = new RestartPolicy(RestartMode.NEVER, 0, Duration.ofMinutes(5),
      Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0);

  static JobSpec spec(int completions, int parallelism, int backoffLimit, Duration deadline, Duration ttl) {
    return new JobSpec(List.of(TaskSpec.main("main", new ProcessDriver(List.of("/bin/true"), List.of(), null))),
        completions, parallelism, backoffLimit, BACKOFF, deadline, null, List.of(), ttl);
  }

  static JobSpec spec(int completions, int parallelism, int backoffLimit) {
    return spec(completions, parallelism, backoffLimit, null, Duration.ofHours(1));
  }

  static JobStatus running(int run, List<JobAttempt> attempts) {
    return new JobStatus(JobPhase.RUNNING, 0, 0, 0, T0, null, List.of(), run, run, attempts);
  }

  static Job job(JobSpec spec, JobStatus status) {
    return new Job(new Metadata("report", "default", Map.of(), 7, null, null), spec, status);
  }

  static Instance instance(String name, int run, InstanceState state, Integer exit, Instant finished) {
    InstanceSpec spec = new InstanceSpec(new ResourceRef(Kind.JOB, "default", "report"), 7, "n1", List.of(), Map.of());
    return new Instance(new Metadata(name, "default", Map.of(JobSteps.JOB_LABEL, "report", JobSteps.RUN_LABEL,
        Integer.toString(run)), 3, null, null), spec,
        new InstanceStatus(state, Health.UNKNOWN, 0, exit, exit == null ? null : "exited with code " + exit, null, T0,
            finished));
  }

  static Instance active(String name, int run) {
    return instance(name, run, InstanceState.RUNNING, null, null);
  }

  static Instance succeeded(String name, int run, Instant at) {
    return instance(name, run, InstanceState.COMPLETED, 0, at);
  }

  static Instance failed(String name, int run, int exit, Instant at) {
    return instance(name, run, InstanceState.FAILED, exit, at);
  }

  static JobAttempt ok(String name, Instant at) {
    return new JobAttempt(name, "n1", true, 0, "exited with code 0", at);
  }

  static JobAttempt bad(String name, int exit, Instant at) {
    return new JobAttempt(name, "n1", false, exit, "exited with code " + exit, at);
  }

  @Test
  void aNewJobStartsRunOne() {
    var d = JobSteps.decide(job(spec(1, 1, 3), JobStatus.EMPTY), List.of(), T0);
    assertThat(d.status().run()).isEqualTo(1);
    assertThat(d.status().requestedRun()).isEqualTo(1);
    assertThat(d.status().phase()).isEqualTo(JobPhase.RUNNING);
    assertThat(d.status().startedAt()).isEqualTo(T0);
  }

  @Test
  void aStartedRunPlacesUpToParallelism() {
    var d = JobSteps.decide(job(spec(5, 2, 3), running(1, List.of())), List.of(), T0);
    assertThat(d.action()).isEqualTo(new JobSteps.Place(2));
    assertThat(d.status()).isEqualTo(running(1, List.of()));
  }

  @Test
  void parallelismNeverExceedsTheCompletionsStillNeeded() {
    var status = running(1, List.of(ok("a", T0), ok("b", T0)));
    var d = JobSteps.decide(job(spec(3, 5, 3), status), List.of(succeeded("a", 1, T0), succeeded("b", 1, T0)), T0);
    assertThat(d.action()).isEqualTo(new JobSteps.Place(1));
  }

  @Test
  void activeInstancesCountAgainstParallelism() {
    var d = JobSteps.decide(job(spec(5, 2, 3), running(1, List.of())), List.of(active("a", 1)), T0);
    assertThat(d.status().active()).isEqualTo(1);
    // the status changed (active 1): the controller writes it first; the action is for the same view
    assertThat(d.action()).isEqualTo(new JobSteps.Place(1));
  }

  @Test
  void endedInstancesAreRecordedAsAttemptsWithTheirExitCodes() {
    Instant t1 = T0.plusSeconds(5);
    var d = JobSteps.decide(job(spec(2, 2, 3), running(1, List.of())),
        List.of(failed("b", 1, 3, t1), succeeded("a", 1, T0.plusSeconds(2))), T0.plusSeconds(6));
    assertThat(d.status().attempts()).containsExactly(
        new JobAttempt("a", "n1", true, 0, "exited with code 0", T0.plusSeconds(2)),
        new JobAttempt("b", "n1", false, 3, "exited with code 3", t1));
    assertThat(d.status().succeeded()).isEqualTo(1);
    assertThat(d.status().failed()).isEqualTo(1);
  }

  @Test
  void attemptsAlreadyRecordedAreNotRecordedTwice() {
    var status = running(1, List.of(bad("b", 3, T0)));
    var d = JobSteps.decide(job(spec(1, 1, 3), status), List.of(failed("b", 1, 3, T0)), T0.plusSeconds(30));
    assertThat(d.status().attempts()).hasSize(1);
  }

  @Test
  void allCompletionsSucceededFinishTheRun() {
    Instant t = T0.plusSeconds(9);
    var status = new JobStatus(JobPhase.RUNNING, 0, 1, 0, T0, null, List.of(), 1, 1, List.of(ok("a", T0)));
    var d = JobSteps.decide(job(spec(2, 1, 3), status), List.of(succeeded("a", 1, T0), succeeded("b", 1, t)), t);
    assertThat(d.status().phase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(d.status().completedAt()).isEqualTo(t);
    assertThat(d.status().succeeded()).isEqualTo(2);
    assertThat(d.status().conditions()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(JobSteps.COMPLETE);
      assertThat(c.message()).isEqualTo("2 of 2 completions succeeded");
    });
    assertThat(d.action()).isEqualTo(new JobSteps.Wait(Duration.ofHours(1)));
  }

  @Test
  void aFailureWaitsForTheBackoffBeforeTheRetry() {
    Instant failedAt = T0.plusSeconds(3);
    var status = running(1, List.of(bad("a", 3, failedAt)));
    var d = JobSteps.decide(job(spec(1, 1, 3), status), List.of(failed("a", 1, 3, failedAt)),
        failedAt.plusMillis(400));
    assertThat(d.action()).isEqualTo(new JobSteps.Wait(Duration.ofMillis(600)));
    var later = JobSteps.decide(job(spec(1, 1, 3), status), List.of(failed("a", 1, 3, failedAt)),
        failedAt.plusSeconds(1));
    assertThat(later.action()).isEqualTo(new JobSteps.Place(1));
  }

  static Stream<Arguments> backoffs() {
    return Stream.of(
        Arguments.of("no failure: no wait", 0, Duration.ZERO),
        Arguments.of("first failure: the delay", 1, Duration.ofSeconds(1)),
        Arguments.of("second: doubled", 2, Duration.ofSeconds(2)),
        Arguments.of("third: doubled again", 3, Duration.ofSeconds(4)),
        Arguments.of("fourth", 4, Duration.ofSeconds(8)),
        Arguments.of("fifth: capped at maxDelay", 5, Duration.ofSeconds(10)),
        Arguments.of("fiftieth: still capped", 50, Duration.ofSeconds(10)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backoffs")
  void backoffGrowsExponentiallyUpToMaxDelay(String name, int failures, Duration expected) {
    assertThat(JobSteps.backoff(BACKOFF, failures)).isEqualTo(expected);
  }

  @Test
  void theBackoffCountsFromTheLastFailure() {
    Instant first = T0.plusSeconds(1);
    Instant second = T0.plusSeconds(10);
    var status = running(1, List.of(bad("a", 1, first), bad("b", 1, second)));
    var d = JobSteps.decide(job(spec(1, 1, 5), status), List.of(), second.plusSeconds(1));
    assertThat(d.action()).isEqualTo(new JobSteps.Wait(Duration.ofSeconds(1)));
  }

  @Test
  void moreFailuresThanTheBackoffLimitFailTheRunAndStopWhatRuns() {
    Instant t = T0.plusSeconds(20);
    var status = running(1, List.of(bad("a", 3, T0), bad("b", 3, T0.plusSeconds(5))));
    List<Instance> instances = List.of(failed("a", 1, 3, T0), failed("b", 1, 3, T0.plusSeconds(5)),
        failed("c", 1, 4, t), active("d", 1));
    var d = JobSteps.decide(job(spec(3, 2, 2), status), instances, t);
    assertThat(d.status().phase()).isEqualTo(JobPhase.FAILED);
    assertThat(d.status().failed()).isEqualTo(3);
    assertThat(d.status().completedAt()).isEqualTo(t);
    assertThat(d.status().conditions()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(JobSteps.FAILED);
      assertThat(c.reason()).isEqualTo("BackoffLimitExceeded");
      assertThat(c.message()).isEqualTo("3 attempts failed, more than backoffLimit 2; the last exited with code 4");
    });
    assertThat(d.action()).isEqualTo(new JobSteps.Remove(List.of(active("d", 1)), "job failed"));
  }

  @Test
  void exactlyBackoffLimitFailuresStillRetry() {
    var status = running(1, List.of(bad("a", 3, T0), bad("b", 3, T0)));
    var d = JobSteps.decide(job(spec(1, 1, 2), status), List.of(), T0.plusSeconds(60));
    assertThat(d.action()).isEqualTo(new JobSteps.Place(1));
  }

  @Test
  void backoffLimitZeroFailsOnTheFirstFailure() {
    var d = JobSteps.decide(job(spec(1, 1, 0), running(1, List.of())), List.of(failed("a", 1, 2, T0)),
        T0.plusSeconds(1));
    assertThat(d.status().phase()).isEqualTo(JobPhase.FAILED);
  }

  @Test
  void theActiveDeadlineFailsTheRunAndStopsItsInstances() {
    var spec = spec(1, 1, 3, Duration.ofMinutes(1), Duration.ofHours(1));
    var d = JobSteps.decide(job(spec, running(1, List.of())), List.of(active("a", 1)), T0.plusSeconds(60));
    assertThat(d.status().phase()).isEqualTo(JobPhase.FAILED);
    assertThat(d.status().conditions()).singleElement().satisfies(c -> {
      assertThat(c.reason()).isEqualTo("DeadlineExceeded");
      assertThat(c.message()).isEqualTo("still running after activeDeadline 1m (0 of 1 completions succeeded)");
    });
    assertThat(d.action()).isInstanceOf(JobSteps.Remove.class);
  }

  @Test
  void beforeTheDeadlineTheRunWakesUpAtIt() {
    var spec = spec(1, 1, 3, Duration.ofMinutes(1), Duration.ofHours(1));
    var d = JobSteps.decide(job(spec, running(1, List.of())), List.of(active("a", 1)), T0.plusSeconds(45));
    assertThat(d.action()).isEqualTo(new JobSteps.Wait(Duration.ofSeconds(15)));
  }

  @Test
  void aBackoffLongerThanTheDeadlineWakesUpAtTheDeadline() {
    var spec = spec(1, 1, 3, Duration.ofSeconds(10), Duration.ofHours(1));
    Instant failedAt = T0.plusSeconds(9);
    var d = JobSteps.decide(job(spec, running(1, List.of(bad("a", 1, failedAt)))), List.of(failed("a", 1, 1, failedAt)),
        failedAt.plusMillis(100));
    assertThat(d.action()).isEqualTo(new JobSteps.Wait(Duration.ofMillis(900)));
  }

  @Test
  void aFinishedRunWaitsForItsTtlThenExpiresWithItsInstances() {
    Instant done = T0.plusSeconds(30);
    var status = new JobStatus(JobPhase.SUCCEEDED, 0, 1, 0, T0, done, List.of(), 1, 1, List.of(ok("a", done)));
    var spec = spec(1, 1, 3, null, Duration.ofMinutes(10));
    List<Instance> left = List.of(succeeded("a", 1, done));
    assertThat(JobSteps.decide(job(spec, status), left, done.plusSeconds(60)).action())
        .isEqualTo(new JobSteps.Wait(Duration.ofMinutes(9)));
    assertThat(JobSteps.decide(job(spec, status), left, done.plus(Duration.ofMinutes(10))).action())
        .isEqualTo(new JobSteps.Expire(left));
  }

  @Test
  void aFinishedRunStopsInstancesStillActive() {
    var status = new JobStatus(JobPhase.FAILED, 1, 0, 4, T0, T0, List.of(), 1, 1, List.of());
    var d = JobSteps.decide(job(spec(1, 1, 3), status), List.of(active("x", 1)), T0.plusSeconds(1));
    assertThat(d.action()).isEqualTo(new JobSteps.Remove(List.of(active("x", 1)), "job failed"));
  }

  @Test
  void aRequestedRunStartsAfreshAndRemovesTheOldRunsInstances() {
    var status = new JobStatus(JobPhase.FAILED, 0, 0, 4, T0, T0, List.of(), 1, 2, List.of(bad("a", 3, T0)));
    List<Instance> old = List.of(failed("a", 1, 3, T0));
    Instant t = T0.plusSeconds(100);
    var d = JobSteps.decide(job(spec(1, 1, 3), status), old, t);
    assertThat(d.status()).isEqualTo(new JobStatus(JobPhase.RUNNING, 0, 0, 0, t, null, List.of(), 2, 2, List.of()));
    assertThat(d.action()).isEqualTo(new JobSteps.Remove(old, "run 2 started"));
  }

  @Test
  void aRequestedRunWinsOverAnExpiredTtl() {
    var status = new JobStatus(JobPhase.SUCCEEDED, 0, 1, 0, T0, T0, List.of(), 1, 2, List.of());
    var d = JobSteps.decide(job(spec(1, 1, 3, null, Duration.ofSeconds(1)), status), List.of(), T0.plusSeconds(10));
    assertThat(d.status().run()).isEqualTo(2);
  }

  @Test
  void instancesOfAnotherRunAreRemoved() {
    List<Instance> instances = new ArrayList<>(List.of(active("old", 1), active("new", 2)));
    var d = JobSteps.decide(job(spec(1, 1, 3), running(2, List.of())), instances, T0);
    assertThat(d.action()).isEqualTo(new JobSteps.Remove(List.of(active("old", 1)), "from an earlier run"));
  }

  @Test
  void anInstanceLostWithItsNodeCountsAsAFailureWithoutExitCode() {
    Instance lost = new Instance(active("a", 1).metadata(), active("a", 1).spec(),
        new InstanceStatus(InstanceState.FAILED, Health.UNKNOWN, 0, null, "node down", null, T0, T0.plusSeconds(1)));
    var d = JobSteps.decide(job(spec(1, 1, 3), running(1, List.of())), List.of(lost), T0.plusSeconds(1));
    assertThat(d.status().attempts()).containsExactly(new JobAttempt("a", "n1", false, null, "node down",
        T0.plusSeconds(1)));
  }

  @Test
  void anInstanceItsNodeRejectedIsRemovedAndIsNoAttempt() {
    Instance refused = new Instance(active("a", 1).metadata(), active("a", 1).spec(), new InstanceStatus(
        InstanceState.REJECTED, Health.UNKNOWN, 0, null, "port http (127.0.0.1:20000) is already in use on node n1",
        null, null, T0));
    var d = JobSteps.decide(job(spec(1, 1, 0), running(1, List.of())), List.of(refused), T0);
    assertThat(d.action()).isEqualTo(new JobSteps.Remove(List.of(refused),
        "rejected by node n1: port http (127.0.0.1:20000) is already in use on node n1"));
    assertThat(d.status().attempts()).isEmpty();
    assertThat(d.status().failed()).isZero();

    var next = JobSteps.decide(job(spec(1, 1, 0), d.status()), List.of(), T0);
    assertThat(next.action()).isEqualTo(new JobSteps.Place(1));
  }

  @Test
  void aRunningJobWithEnoughActiveWaitsForChanges() {
    var d = JobSteps.decide(job(spec(2, 2, 3), running(1, List.of())), List.of(active("a", 1), active("b", 1)), T0);
    assertThat(d.action()).isEqualTo(new JobSteps.Wait(null));
  }

  @Test
  void theRunLabelIsRead() {
    assertThat(JobSteps.runOf(active("a", 12))).isEqualTo(12);
  }
}
