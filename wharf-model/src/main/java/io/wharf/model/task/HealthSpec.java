package io.wharf.model.task;

/**
 * A task's health checks. {@code readiness} gates traffic and rollouts; a failing
 * {@code liveness} restarts the task. Either may be null (no check).
 */
public record HealthSpec(Probe liveness, Probe readiness) {
    public static final HealthSpec NONE = new HealthSpec(null, null);
}
