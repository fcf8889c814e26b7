package io.wharf.server.controller.rollout;

import io.wharf.model.workload.RolloutPhase;
import io.wharf.model.workload.UpdateSpec;
import io.wharf.model.workload.UpdateStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One step of a rollout: from the update settings, the replicas wanted, the rollout's state and
 * the service's live instances (those of the current template and the old ones), which instances
 * to start and stop now, and whether the rollout pauses, is promoted, succeeded or failed. Pure:
 * no I/O, time comes in as {@code now}.
 *
 * <p>An instance of the current template counts as <b>updated</b> once it has been ready for
 * {@code minHealthyTime}; until then it is <b>in flight</b>. The rules:
 * <ul>
 *   <li><b>failure</b>: an instance of the current template that ended (failed, stopped) or was
 *       not updated within {@code healthyDeadline} of its creation; or no instance became updated
 *       for {@code progressDeadline} (not while paused for a promotion);</li>
 *   <li><b>canaries</b> (strategy canary, not yet promoted): {@code canaries} new instances start
 *       next to the old ones (at most {@code parallelism} in flight); once all are updated the
 *       rollout is promoted ({@code autoPromote}) or pauses until {@code wharf rollout promote};</li>
 *   <li><b>rolling</b>: at most {@code parallelism} new instances in flight. With
 *       {@code maxSurge > 0} (start-first) new instances start while the total stays within
 *       {@code replicas + maxSurge}, and an old one stops only when updated ones replace it
 *       (updated + remaining old never drop below {@code replicas}). With {@code maxSurge = 0}
 *       (stop-first) up to {@code parallelism} old ones stop (missing replicas count as in
 *       flight) and new ones fill their places;</li>
 *   <li><b>success</b>: no old instance left and {@code replicas} updated ones.</li>
 * </ul>
 * Without old instances the planner starts nothing: the service controller's count step places
 * missing instances (all at once, as for a new service) and the planner only judges their health.
 */
public final class RolloutPlanner {
  private RolloutPlanner() {}

  /**
   * One live instance: {@code current} when its template is the service's; {@code readySince}
   * null when not ready now; {@code ended} when it reached a terminal state.
   */
  public record Member(String name, boolean current, Instant readySince, boolean ended, Instant createdAt) {
    public Member {
      Objects.requireNonNull(name, "name");
    }
  }

  /** The rollout as the status records it and the instances as they are. */
  public record Input(UpdateSpec update, int replicas, RolloutPhase phase, boolean promoted, Instant startedAt,
      Instant progressAt, List<Member> members, Instant now) {
    public Input {
      Objects.requireNonNull(update, "update");
      Objects.requireNonNull(phase, "phase");
      members = List.copyOf(members);
      Objects.requireNonNull(now, "now");
    }
  }

  /** What the rollout does next. */
  public enum Outcome {
    /** Start and stop what the decision says (maybe nothing: waiting). */
    CONTINUE,
    /** The canaries are updated: wait for {@code wharf rollout promote}. */
    PAUSE,
    /** The canaries are updated and {@code autoPromote} is set. */
    PROMOTE,
    SUCCEED,
    FAIL
  }

  /**
   * {@code start} new instances and stop the old ones named in {@code stop}; {@code updated}
   * counts updated instances of the current template; {@code recheck} is when the decision may
   * change without any instance changing (a deadline or a minimum healthy time passing), null if
   * never; {@code message} says why, in words.
   */
  public record Decision(Outcome outcome, int start, List<String> stop, int updated, Duration recheck, String message) {
    public Decision {
      stop = List.copyOf(stop);
    }
  }

  public static Decision plan(Input in) {
    UpdateSpec u = in.update();
    Instant now = in.now();
    List<Member> old = new ArrayList<>();
    List<Member> fresh = new ArrayList<>();
    in.members().forEach(m -> (m.current() ? fresh : old).add(m));
    int updated = 0;
    List<Member> inFlight = new ArrayList<>();
    Recheck recheck = new Recheck(now);
    for (Member m : fresh) {
      if (m.readySince() != null && !m.readySince().plus(u.minHealthyTime()).isAfter(now)) {
        updated++;
        continue;
      }
      inFlight.add(m);
      if (m.ended()) {
        return fail(updated, "instance " + m.name() + " ended before it was healthy");
      }
      if (m.createdAt() != null) {
        Instant deadline = m.createdAt().plus(u.healthyDeadline());
        if (!deadline.isAfter(now)) {
          return fail(updated, "instance " + m.name() + " was not healthy within "
              + io.wharf.model.quantity.Durations.format(u.healthyDeadline()));
        }
        recheck.at(deadline);
      }
      if (m.readySince() != null) {
        recheck.at(m.readySince().plus(u.minHealthyTime()));
      }
    }
    boolean canaryStage = u.strategy() == UpdateStrategy.CANARY && u.canaries() > 0 && !in.promoted()
        && !old.isEmpty();
    boolean unfinished = !old.isEmpty() || updated < in.replicas();
    Instant progressFrom = in.progressAt() != null ? in.progressAt() : in.startedAt();
    if (unfinished && progressFrom != null && in.phase() != RolloutPhase.PAUSED) {
      Instant deadline = progressFrom.plus(u.progressDeadline());
      if (!deadline.isAfter(now)) {
        return fail(updated, "no instance became healthy for "
            + io.wharf.model.quantity.Durations.format(u.progressDeadline()));
      }
      recheck.at(deadline);
    }
    if (!unfinished) {
      return new Decision(Outcome.SUCCEED, 0, List.of(), updated, null,
          updated + " of " + in.replicas() + " instances updated");
    }
    if (canaryStage) {
      if (updated >= u.canaries()) {
        return new Decision(u.autoPromote() ? Outcome.PROMOTE : Outcome.PAUSE, 0, List.of(), updated, null,
            updated + (updated == 1 ? " canary" : " canaries") + " healthy"
                + (u.autoPromote() ? ": promoted automatically" : ": waiting for promotion"));
      }
      int start = Math.max(0, Math.min(u.canaries() - fresh.size(), u.parallelism() - inFlight.size()));
      return new Decision(Outcome.CONTINUE, start, List.of(), updated, recheck.value(),
          updated + " of " + u.canaries() + " canaries healthy");
    }
    if (old.isEmpty()) {
      return new Decision(Outcome.CONTINUE, 0, List.of(), updated, recheck.value(),
          updated + " of " + in.replicas() + " instances updated");
    }
    int total = old.size() + fresh.size();
    int holes = Math.max(0, in.replicas() - total);
    int surplusOld = Math.max(0, updated + old.size() - in.replicas());
    int stopN;
    if (u.maxSurge() == 0) {
      int budget = Math.max(0, u.parallelism() - inFlight.size() - holes);
      stopN = Math.min(old.size(), Math.max(budget, surplusOld));
    } else {
      stopN = Math.min(old.size(), surplusOld);
    }
    int start = Math.max(0, Math.min(u.parallelism() - inFlight.size(),
        Math.min(in.replicas() - fresh.size(), in.replicas() + u.maxSurge() - (total - stopN))));
    List<Member> order = new ArrayList<>(old);
    // Old instances that serve nothing go first, then by name (a stable order across passes).
    order.sort(Comparator.comparing((Member m) -> m.readySince() != null).thenComparing(Member::name));
    List<String> stop = order.subList(0, stopN).stream().map(Member::name).toList();
    return new Decision(Outcome.CONTINUE, start, stop, updated, recheck.value(),
        updated + " of " + in.replicas() + " instances updated, " + old.size() + " old");
  }

  private static Decision fail(int updated, String why) {
    return new Decision(Outcome.FAIL, 0, List.of(), updated, null, why);
  }

  /** The earliest future instant a decision depends on, as a delay from now. */
  private static final class Recheck {
    private final Instant now;
    private Instant earliest;

    Recheck(Instant now) {
      this.now = now;
    }

    void at(Instant t) {
      if (t.isAfter(now) && (earliest == null || t.isBefore(earliest))) {
        earliest = t;
      }
    }

    Duration value() {
      return earliest == null ? null : Duration.between(now, earliest);
    }
  }
}
