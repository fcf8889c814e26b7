package io.wharf.model.cluster;

import io.wharf.model.WireValue;

/**
 * Lifecycle of an instance. COMPLETED, FAILED, STOPPED and REJECTED are terminal.
 *
 * <p>WAITING: the agent cannot start it yet because something it needs is missing (a config or
 * secret; {@link InstanceStatus#waitingReason()} names it); the agent retries with backoff and as
 * soon as the thing appears, and nothing counts against the restart policy meanwhile.
 * REJECTED: the node refused the placement (a host port it was given is taken there by something
 * else, {@link InstanceStatus#exitReason()} says which); its controller replaces it.
 */
public enum InstanceState implements WireValue {
    PENDING, WAITING, STARTING, RUNNING, COMPLETED, FAILED, STOPPED, REJECTED;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public boolean terminal() { return this == COMPLETED || this == FAILED || this == STOPPED || this == REJECTED; }
}
