package io.wharf.model.cluster;

import io.wharf.model.WireValue;

/** Lifecycle of an instance. COMPLETED, FAILED and STOPPED are terminal. */
public enum InstanceState implements WireValue {
    PENDING, STARTING, RUNNING, COMPLETED, FAILED, STOPPED;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public boolean terminal() { return this == COMPLETED || this == FAILED || this == STOPPED; }
}
