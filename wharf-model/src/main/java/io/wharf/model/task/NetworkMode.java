package io.wharf.model.task;

import io.wharf.model.WireValue;

/** Docker network mode of a task. */
public enum NetworkMode implements WireValue {
    HOST, BRIDGE;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
