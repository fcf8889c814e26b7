package io.wharf.agent.restart;

import io.wharf.model.task.RestartMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A restart policy: {@code mode} says which exits are restarted; at most {@code attempts}
 * restarts within any {@code interval} (the start limit; 0 = unlimited), the n-th restart in the
 * window after {@code delay * multiplier^(n-1)}, capped at {@code maxDelay}.
 *
 * <p>Pure and immutable: {@link #decide} depends only on its arguments.
 */
public record RestartPolicy(RestartMode mode, int attempts, Duration interval, Duration delay, Duration maxDelay,
                            double multiplier) {
    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (attempts < 0) throw new IllegalArgumentException("attempts must be >= 0");
        if (interval.isNegative() || delay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("durations must be >= 0");
        }
        if (multiplier < 1) throw new IllegalArgumentException("multiplier must be >= 1");
    }

    /** The agent's form of a model restart policy. */
    public static RestartPolicy of(io.wharf.model.task.RestartPolicy spec) {
        return new RestartPolicy(spec.policy(), spec.attempts(), spec.interval(), spec.delay(), spec.maxDelay(),
                Math.max(1, spec.multiplier()));
    }

    public static RestartPolicy never() {
        return new RestartPolicy(RestartMode.NEVER, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1);
    }

    /**
     * What to do now that the last of {@code exits} (oldest first, not empty) happened. Exits
     * older than {@code now - interval} do not count against the start limit or the backoff.
     */
    public RestartDecision decide(List<Exit> exits, Instant now) {
        if (exits.isEmpty()) throw new IllegalArgumentException("no exit to decide on");
        Exit last = exits.getLast();
        boolean restart = switch (mode) {
            case ALWAYS -> true;
            case ON_FAILURE -> !last.success();
            case NEVER -> false;
        };
        if (!restart) {
            return last.success() ? new RestartDecision.Done()
                    : new RestartDecision.GiveUp(last.description() + " (restart policy " + mode.wire() + ")");
        }
        Instant windowStart = now.minus(interval);
        int inWindow = (int) exits.stream().filter(e -> e.at().isAfter(windowStart)).count();
        if (attempts > 0 && inWindow > attempts) {
            return new RestartDecision.GiveUp("start limit reached: " + attempts + " restarts within " + human(interval)
                    + "; last run " + last.description());
        }
        return new RestartDecision.Restart(backoff(Math.max(1, inWindow)));
    }

    /** The delay before the {@code n}-th restart within the window (1-based). */
    public Duration backoff(int n) {
        double millis = delay.toMillis() * Math.pow(multiplier, n - 1);
        long cap = Math.max(maxDelay.toMillis(), delay.toMillis());
        return Duration.ofMillis((long) Math.min(millis, cap));
    }

    static String human(Duration d) {
        if (d.toMillis() % 60_000 == 0 && !d.isZero()) return d.toMinutes() + "m";
        if (d.toMillis() % 1000 == 0) return d.toSeconds() + "s";
        return d.toMillis() + "ms";
    }
}
