package io.wharf.model;

import io.wharf.model.routing.RouteSpec;
import io.wharf.model.routing.RouteStatus;
import java.util.Objects;

/** A gateway route: host and path prefix to service ports, optionally weighted. */
public record Route(Metadata metadata, RouteSpec spec, RouteStatus status) implements Resource {
    public Route {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = RouteStatus.EMPTY;
    }

    public Route(Metadata metadata, RouteSpec spec) { this(metadata, spec, RouteStatus.EMPTY); }

    @Override public Kind kind() { return Kind.ROUTE; }

    @Override public Route withMetadata(Metadata m) { return new Route(m, spec, status); }

    @Override public Route withStatus(Object s) { return new Route(metadata, spec, (RouteStatus) s); }

    public Route withSpec(RouteSpec s) { return new Route(metadata, s, status); }
}
