package io.wharf.model.cluster;

import java.time.Instant;

/**
 * What the agent reports about an instance: state, readiness health, how often its tasks were
 * restarted, and why it ended ({@code exitCode} of the main task, {@code exitReason} in words).
 */
public record InstanceStatus(InstanceState state, Health health, int restarts, Integer exitCode, String exitReason,
                             String address, Instant startedAt, Instant finishedAt) {
    public static final InstanceStatus EMPTY = new InstanceStatus(InstanceState.PENDING, Health.UNKNOWN, 0, null, null,
            null, null, null);

    public InstanceStatus {
        if (state == null) state = InstanceState.PENDING;
        if (health == null) health = Health.UNKNOWN;
    }
}
