package io.wharf.model.discovery;

import io.wharf.model.Frozen;
import java.util.List;
import java.util.Objects;

/** The ready addresses of one service in one namespace, in a stable order (address, then port set). */
public record ServiceEndpoints(String namespace, String service, List<EndpointAddress> endpoints) {
    public ServiceEndpoints {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(service, "service");
        endpoints = Frozen.list(endpoints);
    }

    /** The port numbers of {@code portName} over all endpoints that have it. */
    public List<EndpointAddress> withPort(String portName) {
        return endpoints.stream().filter(e -> e.ports().containsKey(portName)).toList();
    }
}
