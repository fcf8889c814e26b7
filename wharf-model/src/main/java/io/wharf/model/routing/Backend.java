package io.wharf.model.routing;

import java.util.Objects;

/**
 * A route target: a service in the route's namespace, its port (a port name, a number, or null
 * when the service has exactly one port), and a relative {@code weight} for traffic splits.
 */
public record Backend(String service, String port, int weight) {
    public Backend {
        Objects.requireNonNull(service, "service");
        if (weight < 0) throw new IllegalArgumentException("weight must be >= 0, got " + weight);
    }
}
