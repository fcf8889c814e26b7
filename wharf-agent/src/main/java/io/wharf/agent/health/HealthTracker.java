package io.wharf.agent.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The pure core of one check: its state and the run of equal results so far. {@link #observe}
 * returns the next tracker and, when the state changed, the transition as a value.
 */
public record HealthTracker(CheckKind kind, int failureThreshold, int successThreshold, Instant startPeriodEnds,
                            HealthState state, int consecutiveOk, int consecutiveFailed) {

    public static HealthTracker start(CheckSettings settings, Instant taskStarted) {
        return new HealthTracker(settings.kind(), settings.failureThreshold(), settings.successThreshold(),
                taskStarted.plus(settings.startPeriod()), HealthState.UNKNOWN, 0, 0);
    }

    /** The tracker after {@code result} observed at {@code now}, and the transition it caused. */
    public Step observe(CheckResult result, Instant now) {
        if (result.ok()) {
            int ok = consecutiveOk + 1;
            HealthState next = ok >= successThreshold ? HealthState.HEALTHY : state;
            return step(next, ok, 0, result, now);
        }
        if (now.isBefore(startPeriodEnds)) {
            // Still starting: a failure does not count, but it does break a run of successes.
            return step(state, 0, 0, result, now);
        }
        int failed = consecutiveFailed + 1;
        HealthState next = failed >= failureThreshold ? HealthState.UNHEALTHY : state;
        return step(next, 0, failed, result, now);
    }

    private Step step(HealthState next, int ok, int failed, CheckResult result, Instant now) {
        var tracker = new HealthTracker(kind, failureThreshold, successThreshold, startPeriodEnds, next, ok, failed);
        Optional<HealthTransition> t = next == state ? Optional.empty()
                : Optional.of(new HealthTransition(kind, state, next, result.message(), now));
        return new Step(tracker, t);
    }

    /** Time left in the start period at {@code now} (zero once over). */
    public Duration startPeriodLeft(Instant now) {
        return now.isBefore(startPeriodEnds) ? Duration.between(now, startPeriodEnds) : Duration.ZERO;
    }

    public record Step(HealthTracker tracker, Optional<HealthTransition> transition) {}
}
