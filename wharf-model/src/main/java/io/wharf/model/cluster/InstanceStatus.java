package io.wharf.model.cluster;

import java.time.Instant;

/**
 * What the agent reports about an instance: state, readiness health, how often its tasks were
 * restarted, why it ended ({@code exitCode} of the main task, {@code exitReason} in words), and
 * while it is {@link InstanceState#WAITING} what it waits for ({@code waitingReason}, e.g.
 * {@code secret db-password not found in namespace default}; null in every other state).
 */
public record InstanceStatus(InstanceState state, Health health, int restarts, Integer exitCode, String exitReason,
                             String address, Instant startedAt, Instant finishedAt, String waitingReason) {
    public static final InstanceStatus EMPTY = new InstanceStatus(InstanceState.PENDING, Health.UNKNOWN, 0, null, null,
            null, null, null);

    public InstanceStatus {
        if (state == null) state = InstanceState.PENDING;
        if (health == null) health = Health.UNKNOWN;
        if (state != InstanceState.WAITING) waitingReason = null;
    }

    /** A status that is not waiting. */
    public InstanceStatus(InstanceState state, Health health, int restarts, Integer exitCode, String exitReason,
                          String address, Instant startedAt, Instant finishedAt) {
        this(state, health, restarts, exitCode, exitReason, address, startedAt, finishedAt, null);
    }

    /** An instance that cannot start yet: {@code reason} says what it waits for. */
    public static InstanceStatus waiting(String reason, int restarts, String address) {
        return new InstanceStatus(InstanceState.WAITING, Health.UNKNOWN, restarts, null, null, address, null, null, reason);
    }
}
