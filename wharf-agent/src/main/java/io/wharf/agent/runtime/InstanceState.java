package io.wharf.agent.runtime;

/** The life of one instance on this node; COMPLETED, FAILED and STOPPED are final. */
public enum InstanceState {
    PENDING, PRESTART, RUNNING, STOPPING, COMPLETED, FAILED, STOPPED;

    public boolean terminal() { return this == COMPLETED || this == FAILED || this == STOPPED; }
}
