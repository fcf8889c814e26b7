package io.wharf.server.controller.job;

import io.wharf.model.Condition;
import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.workload.JobAttempt;
import io.wharf.model.workload.JobPhase;
import io.wharf.model.workload.JobSpec;
import io.wharf.model.workload.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a job's run does next, as a pure function of the job, the instances it owns and the time
 * (no I/O, no clock reads). A run is numbered ({@code status.run}); its instances carry the
 * {@value #RUN_LABEL} label. In order:
 * <ol>
 *   <li>a new run is wanted (the first one, or {@code status.requestedRun} above {@code run}): the
 *       status starts run {@code requestedRun} afresh and every instance of earlier runs goes;</li>
 *   <li>instances of other runs are removed, and so are instances their node {@code rejected} (a
 *       dynamic port was taken there): not an attempt, so the run places another;</li>
 *   <li>a finished run stops what still runs, then waits until {@code ttlAfterFinished} after it
 *       completed and deletes the job with its instances;</li>
 *   <li>ended instances are recorded as attempts (exit code kept) and the counts follow;</li>
 *   <li>{@code completions} attempts succeeded: the run succeeded; more than {@code backoffLimit}
 *       failed, or {@code activeDeadline} passed since it started: it failed and its active
 *       instances are stopped;</li>
 *   <li>fewer than {@code min(parallelism, completions - succeeded)} active: start more, but not
 *       before the backoff after the last failure: {@code restart.delay * multiplier^(failed-1)},
 *       at most {@code restart.maxDelay}.</li>
 * </ol>
 * The returned {@link Decision} says the status the run should have and one action; the
 * controller writes the status first when it differs, and looks again.
 */
public final class JobSteps {
  private JobSteps() {}

  /** Label of a job's instances: the job's name. */
  public static final String JOB_LABEL = "wharf.io/job";
  /** Label of a job's instances: the number of the run they belong to. */
  public static final String RUN_LABEL = "wharf.io/run";
  /** Condition types of a job's status. */
  public static final String COMPLETE = "Complete";
  public static final String FAILED = "Failed";

  /** The status the job should have and what to do. */
  public record Decision(JobStatus status, Action action) {
    public Decision {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(action, "action");
    }
  }

  /** One thing to do about a job's instances. */
  public sealed interface Action {}

  /** Start {@code n} more instances of the run. */
  public record Place(int n) implements Action {}

  /** Delete (stop) these instances. */
  public record Remove(List<Instance> instances, String why) implements Action {
    public Remove {
      instances = List.copyOf(instances);
    }
  }

  /** The run finished longer than its TTL ago: delete the job and these instances. */
  public record Expire(List<Instance> instances) implements Action {
    public Expire {
      instances = List.copyOf(instances);
    }
  }

  /** Nothing to do now; look again after {@code after} (null: only when something changes). */
  public record Wait(Duration after) implements Action {}

  /** The run an instance belongs to, from its {@value #RUN_LABEL} label (0 when absent or not a number). */
  public static int runOf(Instance i) {
    String run = i.metadata().labels().get(RUN_LABEL);
    if (run == null) {
      return 0;
    }
    try {
      return Integer.parseInt(run);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The delay before the next start after {@code failures} failed attempts (exponential, capped). */
  public static Duration backoff(RestartPolicy restart, int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    double millis = restart.delay().toMillis() * Math.pow(restart.multiplier(), failures - 1);
    long max = restart.maxDelay().toMillis();
    return Duration.ofMillis(millis >= max ? max : (long) millis);
  }

  public static Decision decide(Job job, List<Instance> instances, Instant now) {
    JobSpec spec = job.spec();
    JobStatus st = job.status();
    int target = st.run() == 0 ? Math.max(1, st.requestedRun()) : st.requestedRun();
    if (target > st.run()) {
      JobStatus fresh = new JobStatus(JobPhase.RUNNING, 0, 0, 0, now, null, List.of(), target, target, List.of());
      return new Decision(fresh, instances.isEmpty() ? new Wait(Duration.ZERO)
          : new Remove(instances, "run " + target + " started"));
    }
    List<Instance> stale = instances.stream().filter(i -> runOf(i) != st.run()).toList();
    if (!stale.isEmpty()) {
      return new Decision(st, new Remove(stale, "from an earlier run"));
    }
    List<Instance> refused = instances.stream().filter(i -> i.status().state() == InstanceState.REJECTED).toList();
    if (!refused.isEmpty()) {
      Instance first = refused.getFirst();
      return new Decision(st, new Remove(refused, "rejected by node " + first.spec().node() + ": "
          + first.status().exitReason()));
    }
    if (st.finished() && spec.ttlAfterFinished() != null && st.completedAt() != null) {
      Instant expires = st.completedAt().plus(spec.ttlAfterFinished());
      if (!now.isBefore(expires)) {
        return new Decision(st, new Expire(instances));
      }
    }

    List<Instance> active = new ArrayList<>();
    List<Instance> ended = new ArrayList<>();
    for (Instance i : instances) {
      (i.status().state().terminal() ? ended : active).add(i);
    }
    List<JobAttempt> attempts = new ArrayList<>(st.attempts());
    Set<String> recorded = new HashSet<>();
    attempts.forEach(a -> recorded.add(a.instance()));
    ended.stream().filter(i -> !recorded.contains(i.metadata().name()))
        .map(i -> attempt(i, now))
        .sorted(Comparator.comparing(JobAttempt::finishedAt).thenComparing(JobAttempt::instance))
        .forEach(attempts::add);
    int succeeded = (int) attempts.stream().filter(JobAttempt::succeeded).count();
    int failed = attempts.size() - succeeded;
    JobStatus counted = new JobStatus(st.phase(), active.size(), succeeded, failed, st.startedAt(), st.completedAt(),
        st.conditions(), st.run(), st.requestedRun(), attempts);

    if (st.finished()) {
      return new Decision(counted, active.isEmpty() ? new Wait(untilExpiry(spec, counted, now))
          : new Remove(active, "job " + st.phase().wire()));
    }
    if (succeeded >= spec.completions()) {
      return finish(spec, counted, JobPhase.SUCCEEDED, COMPLETE, "Completed",
          succeeded + " of " + spec.completions() + " completions succeeded", active, now);
    }
    if (failed > spec.backoffLimit()) {
      return finish(spec, counted, JobPhase.FAILED, FAILED, "BackoffLimitExceeded",
          failed + " attempts failed, more than backoffLimit " + spec.backoffLimit() + lastExit(attempts), active, now);
    }
    Instant deadline = spec.activeDeadline() == null || st.startedAt() == null ? null
        : st.startedAt().plus(spec.activeDeadline());
    if (deadline != null && !now.isBefore(deadline)) {
      return finish(spec, counted, JobPhase.FAILED, FAILED, "DeadlineExceeded",
          "still running after activeDeadline " + io.wharf.model.quantity.Durations.format(spec.activeDeadline())
              + " (" + succeeded + " of " + spec.completions() + " completions succeeded)", active, now);
    }
    Duration untilDeadline = deadline == null ? null : Duration.between(now, deadline);
    int want = Math.min(spec.parallelism(), spec.completions() - succeeded);
    int slots = want - active.size();
    if (slots > 0) {
      if (failed > 0) {
        Instant last = attempts.stream().filter(a -> !a.succeeded()).map(JobAttempt::finishedAt)
            .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        Instant due = last == null ? now : last.plus(backoff(spec.restart(), failed));
        if (now.isBefore(due)) {
          return new Decision(counted, new Wait(min(Duration.between(now, due), untilDeadline)));
        }
      }
      return new Decision(counted, new Place(slots));
    }
    return new Decision(counted, new Wait(untilDeadline));
  }

  private static Decision finish(JobSpec spec, JobStatus counted, JobPhase phase, String type, String reason,
      String message, List<Instance> active, Instant now) {
    List<Condition> conditions = new ArrayList<>();
    counted.conditions().stream().filter(c -> !c.type().equals(COMPLETE) && !c.type().equals(FAILED))
        .forEach(conditions::add);
    conditions.add(new Condition(type, true, reason, message, now));
    JobStatus done = new JobStatus(phase, counted.active(), counted.succeeded(), counted.failed(), counted.startedAt(),
        now, conditions, counted.run(), counted.requestedRun(), counted.attempts());
    return new Decision(done, active.isEmpty() ? new Wait(untilExpiry(spec, done, now))
        : new Remove(active, "job " + phase.wire()));
  }

  private static String lastExit(List<JobAttempt> attempts) {
    for (int k = attempts.size() - 1; k >= 0; k--) {
      JobAttempt a = attempts.get(k);
      if (!a.succeeded()) {
        return a.exitCode() != null ? "; the last exited with code " + a.exitCode()
            : a.reason() != null ? "; the last: " + a.reason() : "";
      }
    }
    return "";
  }

  private static Duration untilExpiry(JobSpec spec, JobStatus st, Instant now) {
    if (spec.ttlAfterFinished() == null || st.completedAt() == null) {
      return null;
    }
    Duration left = Duration.between(now, st.completedAt().plus(spec.ttlAfterFinished()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static Duration min(Duration a, Duration b) {
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }

  /** An ended instance as an attempt: succeeded when it completed (its main task exited 0). */
  static JobAttempt attempt(Instance i, Instant now) {
    var s = i.status();
    return new JobAttempt(i.metadata().name(), i.spec().node(), s.state() == InstanceState.COMPLETED, s.exitCode(),
        s.exitReason(), s.finishedAt() != null ? s.finishedAt() : now);
  }
}
