package io.wharf.model;

import io.wharf.model.discovery.EndpointSpec;
import io.wharf.model.discovery.EndpointStatus;
import java.util.Objects;

/** An external endpoint of a service: an address outside the cluster that discovery hands out. */
public record Endpoint(Metadata metadata, EndpointSpec spec, EndpointStatus status) implements Resource {
    public Endpoint {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = EndpointStatus.EMPTY;
    }

    public Endpoint(Metadata metadata, EndpointSpec spec) { this(metadata, spec, EndpointStatus.EMPTY); }

    @Override public Kind kind() { return Kind.ENDPOINT; }

    @Override public Endpoint withMetadata(Metadata m) { return new Endpoint(m, spec, status); }

    @Override public Endpoint withStatus(Object s) { return new Endpoint(metadata, spec, (EndpointStatus) s); }

    public Endpoint withSpec(EndpointSpec s) { return new Endpoint(metadata, s, status); }
}
