package io.wharf.agent.health;

import java.time.Duration;
import java.util.Objects;

/**
 * One configured check: run every {@code interval}, each run given {@code timeout}; failures in
 * the first {@code startPeriod} do not count; {@code failureThreshold} consecutive failures make
 * the task unhealthy and {@code successThreshold} consecutive successes healthy.
 */
public record CheckSettings(CheckKind kind, HealthCheck check, Duration interval, Duration timeout,
                            Duration startPeriod, int failureThreshold, int successThreshold) {
    public CheckSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(startPeriod, "startPeriod");
        if (interval.isZero() || interval.isNegative()) throw new IllegalArgumentException("interval must be > 0");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("timeout must be > 0");
        if (failureThreshold < 1) failureThreshold = 1;
        if (successThreshold < 1) successThreshold = 1;
    }
}
