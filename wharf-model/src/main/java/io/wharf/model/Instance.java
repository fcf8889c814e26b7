package io.wharf.model;

import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceStatus;
import java.util.Objects;

/** One placed copy of a service or job on a node: its tasks run together. */
public record Instance(Metadata metadata, InstanceSpec spec, InstanceStatus status) implements Resource {
    public Instance {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = InstanceStatus.EMPTY;
    }

    public Instance(Metadata metadata, InstanceSpec spec) { this(metadata, spec, InstanceStatus.EMPTY); }

    @Override public Kind kind() { return Kind.INSTANCE; }

    @Override public Instance withMetadata(Metadata m) { return new Instance(m, spec, status); }

    @Override public Instance withStatus(Object s) { return new Instance(metadata, spec, (InstanceStatus) s); }

    public Instance withSpec(InstanceSpec s) { return new Instance(metadata, s, status); }
}
