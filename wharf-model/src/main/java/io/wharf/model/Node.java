package io.wharf.model;

import io.wharf.model.cluster.NodeSpec;
import io.wharf.model.cluster.NodeStatus;
import java.util.Objects;

/** A machine running an agent (cluster-scoped). */
public record Node(Metadata metadata, NodeSpec spec, NodeStatus status) implements Resource {
    public Node {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = NodeStatus.EMPTY;
    }

    public Node(Metadata metadata, NodeSpec spec) { this(metadata, spec, NodeStatus.EMPTY); }

    @Override public Kind kind() { return Kind.NODE; }

    @Override public Node withMetadata(Metadata m) { return new Node(m, spec, status); }

    @Override public Node withStatus(Object s) { return new Node(metadata, spec, (NodeStatus) s); }

    public Node withSpec(NodeSpec s) { return new Node(metadata, s, status); }
}
