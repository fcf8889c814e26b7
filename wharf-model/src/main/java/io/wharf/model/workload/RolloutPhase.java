package io.wharf.model.workload;

import io.wharf.model.WireValue;

/**
 * Where a rollout of a service's instance template stands. {@code PROGRESSING} and
 * {@code PAUSED} (canaries healthy, waiting for {@code wharf rollout promote}) are in progress;
 * the others are final: {@code SUCCEEDED} (every instance runs the template and was healthy for
 * {@code minHealthyTime}), {@code FAILED} (health or a deadline failed, nothing reverted),
 * {@code ROLLED_BACK} (failed, and the previous template was written back),
 * {@code SUPERSEDED} (a newer spec arrived before it finished).
 */
public enum RolloutPhase implements WireValue {
    PROGRESSING, PAUSED, SUCCEEDED, FAILED, ROLLED_BACK, SUPERSEDED;

    @Override public String wire() {
        return this == ROLLED_BACK ? "rolled-back" : name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Still moving instances (or waiting to be promoted). */
    public boolean inProgress() { return this == PROGRESSING || this == PAUSED; }
}
