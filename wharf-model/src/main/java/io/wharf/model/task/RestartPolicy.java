package io.wharf.model.task;

import java.time.Duration;
import java.util.Objects;

/**
 * Restarts of the tasks of one instance: after {@code delay}, growing by {@code multiplier} up
 * to {@code maxDelay}; at most {@code attempts} restarts within {@code interval} (the start
 * limit; 0 attempts = no limit), after which the instance fails for good.
 */
public record RestartPolicy(RestartMode policy, int attempts, Duration interval, Duration delay, Duration maxDelay,
                            double multiplier) {
    public static final RestartPolicy SERVICE_DEFAULT = new RestartPolicy(RestartMode.ALWAYS, 10, Duration.ofMinutes(5),
            Duration.ofMillis(250), Duration.ofMinutes(1), 2.0);
    public static final RestartPolicy JOB_DEFAULT = new RestartPolicy(RestartMode.NEVER, 0, Duration.ofMinutes(5),
            Duration.ofMillis(250), Duration.ofMinutes(1), 2.0);

    public RestartPolicy {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(maxDelay, "maxDelay");
    }
}
