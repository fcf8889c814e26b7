package io.wharf.model;

import java.util.Objects;

/** A cluster-scoped grouping of resources; names are unique per namespace and kind. */
public record Namespace(Metadata metadata, NamespaceSpec spec, NamespaceStatus status) implements Resource {
    public Namespace {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = NamespaceStatus.EMPTY;
    }

    public Namespace(Metadata metadata, NamespaceSpec spec) { this(metadata, spec, NamespaceStatus.EMPTY); }

    @Override public Kind kind() { return Kind.NAMESPACE; }

    @Override public Namespace withMetadata(Metadata m) { return new Namespace(m, spec, status); }

    @Override public Namespace withStatus(Object s) { return new Namespace(metadata, spec, (NamespaceStatus) s); }

    public Namespace withSpec(NamespaceSpec s) { return new Namespace(metadata, s, status); }
}
