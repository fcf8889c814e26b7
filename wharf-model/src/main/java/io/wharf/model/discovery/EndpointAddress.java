package io.wharf.model.discovery;

import io.wharf.model.Frozen;
import java.util.Map;
import java.util.Objects;

/**
 * One address of a service as discovery hands it out: {@code address} and the named
 * {@code ports} to reach there. {@code source} says where it came from: an instance
 * ({@code instance} names it, {@code node} is where it runs) or an external {@link EndpointSpec}
 * ({@code instance} names the Endpoint object, {@code node} is null).
 */
public record EndpointAddress(String address, Map<String, Integer> ports, Source source, String instance,
                              String node) {
    public enum Source implements io.wharf.model.WireValue {
        INSTANCE, EXTERNAL;

        @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public EndpointAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(source, "source");
        ports = Frozen.map(ports);
    }
}
