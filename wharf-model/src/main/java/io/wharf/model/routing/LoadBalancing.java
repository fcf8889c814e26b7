package io.wharf.model.routing;

import io.wharf.model.WireValue;

/**
 * How the gateway picks one endpoint of a backend: {@code round-robin} in turn,
 * {@code least-requests} the one with fewest requests in flight, {@code power-of-two} the less
 * busy of two picked at random (near least-requests at a fraction of the cost).
 */
public enum LoadBalancing implements WireValue {
    ROUND_ROBIN("round-robin"), LEAST_REQUESTS("least-requests"), POWER_OF_TWO("power-of-two");

    private final String wire;

    LoadBalancing(String wire) { this.wire = wire; }

    @Override public String wire() { return wire; }
}
