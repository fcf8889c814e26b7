package io.wharf.model.discovery;

import io.wharf.model.Frozen;
import java.util.Map;
import java.util.Objects;

/**
 * An endpoint outside the cluster registered by hand, such as a database on a VM: it serves as
 * one more address of {@code service} (which need not be a Wharf service) in its namespace, so
 * DNS, the gateway and injected dependency addresses find it like an instance. {@code address}
 * is an IPv4 or IPv6 literal; {@code ports} maps port names to port numbers.
 */
public record EndpointSpec(String service, String address, Map<String, Integer> ports) {
    public EndpointSpec {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(address, "address");
        ports = Frozen.map(ports);
    }
}
