package io.wharf.model.task;

import io.wharf.model.WireValue;

/** When a task that exited is started again. */
public enum RestartMode implements WireValue {
    ALWAYS("always"), ON_FAILURE("on-failure"), NEVER("never");

    private final String wire;

    RestartMode(String wire) { this.wire = wire; }

    @Override public String wire() { return wire; }
}
