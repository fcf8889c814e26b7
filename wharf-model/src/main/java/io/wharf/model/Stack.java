package io.wharf.model;

import java.util.Objects;

/** What one stack file created: the refs it owns, so a later apply can prune what the file dropped. */
public record Stack(Metadata metadata, StackSpec spec, StackStatus status) implements Resource {
    public Stack {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = StackStatus.EMPTY;
    }

    public Stack(Metadata metadata, StackSpec spec) { this(metadata, spec, StackStatus.EMPTY); }

    @Override public Kind kind() { return Kind.STACK; }

    @Override public Stack withMetadata(Metadata m) { return new Stack(m, spec, status); }

    @Override public Stack withStatus(Object s) { return new Stack(metadata, spec, (StackStatus) s); }

    public Stack withSpec(StackSpec s) { return new Stack(metadata, s, status); }
}
