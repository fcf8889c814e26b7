package io.wharf.model;

import io.wharf.model.workload.ServiceSpec;
import io.wharf.model.workload.ServiceStatus;
import java.util.Objects;

/** A long-running workload: replicas of an instance made of one or more tasks. */
public record Service(Metadata metadata, ServiceSpec spec, ServiceStatus status) implements Resource {
    public Service {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = ServiceStatus.EMPTY;
    }

    public Service(Metadata metadata, ServiceSpec spec) { this(metadata, spec, ServiceStatus.EMPTY); }

    @Override public Kind kind() { return Kind.SERVICE; }

    @Override public Service withMetadata(Metadata m) { return new Service(m, spec, status); }

    @Override public Service withStatus(Object s) { return new Service(metadata, spec, (ServiceStatus) s); }

    public Service withSpec(ServiceSpec s) { return new Service(metadata, s, status); }
}
