package io.wharf.agent.runtime;

/**
 * The life of one task on this node. {@code RESTARTING} is the backoff wait between runs.
 * COMPLETED, FAILED and STOPPED are final.
 */
public enum TaskState {
    PENDING, STARTING, RUNNING, RESTARTING, COMPLETED, FAILED, STOPPED;

    public boolean terminal() { return this == COMPLETED || this == FAILED || this == STOPPED; }
}
