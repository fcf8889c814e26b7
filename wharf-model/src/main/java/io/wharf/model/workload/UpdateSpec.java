package io.wharf.model.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * How a changed service replaces its instances. {@code rolling}: {@code parallelism} at a time,
 * up to {@code maxSurge} extra instances during the update. {@code canary}: first
 * {@code canaries} new instances taking {@code canaryWeight} percent of routed traffic, then the
 * rest (promotion is manual unless {@code autoPromote}). Each new instance must become ready
 * within {@code healthyDeadline} and stay ready for {@code minHealthyTime}; otherwise the
 * update fails and, with {@code autoRollback}, reverts. The update as a whole fails when no
 * new instance has become healthy for {@code progressDeadline}.
 */
public record UpdateSpec(UpdateStrategy strategy, int parallelism, int maxSurge, int canaries, int canaryWeight,
                         Duration minHealthyTime, Duration healthyDeadline, boolean autoRollback, boolean autoPromote,
                         Duration progressDeadline) {
    public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
    public static final UpdateSpec DEFAULT = new UpdateSpec(UpdateStrategy.ROLLING, 1, 1, 0, 0,
            Duration.ofSeconds(10), Duration.ofMinutes(5), true, false, DEFAULT_PROGRESS_DEADLINE);

    public UpdateSpec {
        Objects.requireNonNull(strategy, "strategy");
        if (parallelism < 1 || maxSurge < 0 || canaries < 0 || canaryWeight < 0 || canaryWeight > 100) {
            throw new IllegalArgumentException("parallelism >= 1, maxSurge >= 0, canaries >= 0, canaryWeight 0..100");
        }
        Objects.requireNonNull(minHealthyTime, "minHealthyTime");
        Objects.requireNonNull(healthyDeadline, "healthyDeadline");
        if (progressDeadline == null) progressDeadline = DEFAULT_PROGRESS_DEADLINE;
    }

    public UpdateSpec(UpdateStrategy strategy, int parallelism, int maxSurge, int canaries, int canaryWeight,
                      Duration minHealthyTime, Duration healthyDeadline, boolean autoRollback, boolean autoPromote) {
        this(strategy, parallelism, maxSurge, canaries, canaryWeight, minHealthyTime, healthyDeadline, autoRollback,
                autoPromote, DEFAULT_PROGRESS_DEADLINE);
    }
}
