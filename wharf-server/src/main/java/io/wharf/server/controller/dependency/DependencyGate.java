package io.wharf.server.controller.dependency;

import io.wharf.model.workload.Dependency;
import io.wharf.model.workload.DependencyCondition;
import io.wharf.model.workload.JobPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Decides whether a service may place instances: every dependency must have reached its
 * condition. {@code started}: a service has all its desired instances running (a job is running
 * or has finished); {@code healthy}: a service has all its desired instances ready;
 * {@code completed}: a job succeeded. The wait is counted from {@code waitingSince} (when the
 * service began waiting); a dependency still unmet after its own {@code timeout} makes the verdict
 * {@link TimedOut}. Pure: states and time come in as arguments.
 */
public final class DependencyGate {
  private DependencyGate() {}

  /** The gate's answer. */
  public sealed interface Verdict {}

  /** Every dependency is met. */
  public record Open() implements Verdict {}

  /** {@code dependency} is not met yet ({@code reason} says what it waits for); {@code left} until its timeout. */
  public record Waiting(Dependency dependency, String reason, Duration left) implements Verdict {}

  /** {@code dependency} was not met within its timeout. */
  public record TimedOut(Dependency dependency, String reason) implements Verdict {}

  public static final Verdict OPEN = new Open();

  /**
   * The first dependency (in declaration order) that timed out, else the first unmet one, else
   * open. {@code waitingSince} null means the wait starts now.
   */
  public static Verdict check(List<Dependency> dependencies, Function<String, DependencyState> states,
      Instant waitingSince, Instant now) {
    Instant since = waitingSince == null || waitingSince.isAfter(now) ? now : waitingSince;
    Duration waited = Duration.between(since, now);
    Waiting first = null;
    for (Dependency d : dependencies) {
      String unmet = unmet(d, states.apply(d.name()));
      if (unmet == null) {
        continue;
      }
      if (waited.compareTo(d.timeout()) >= 0) {
        return new TimedOut(d, unmet);
      }
      if (first == null) {
        first = new Waiting(d, unmet, d.timeout().minus(waited));
      }
    }
    return first == null ? OPEN : first;
  }

  /** Null when {@code d} is met by {@code state}, else what it waits for, in words. */
  static String unmet(Dependency d, DependencyState state) {
    String want = switch (d.condition()) {
      case STARTED -> "started";
      case HEALTHY -> "healthy";
      case COMPLETED -> "completed";
    };
    return switch (state) {
      case DependencyState.Missing m -> "waiting for \"" + d.name() + "\" to be " + want + ": no such service or job";
      case DependencyState.ServiceState s -> {
        if (d.condition() == DependencyCondition.COMPLETED) {
          yield "waiting for service \"" + d.name() + "\" to be completed: a service never completes";
        }
        boolean healthy = d.condition() == DependencyCondition.HEALTHY;
        int have = healthy ? s.ready() : s.running();
        if (have >= s.desired()) {
          yield null;
        }
        yield "waiting for service \"" + d.name() + "\" to be " + want + " (" + have + " of " + s.desired()
            + (healthy ? " ready)" : " running)");
      }
      case DependencyState.JobState j -> {
        boolean met = d.condition() == DependencyCondition.COMPLETED
            ? j.phase() == JobPhase.SUCCEEDED
            : j.phase() != JobPhase.PENDING;
        yield met ? null : "waiting for job \"" + d.name() + "\" to be " + want + " (it is " + j.phase().wire() + ")";
      }
    };
  }
}
