package io.wharf.model;

import io.wharf.model.config.SecretSpec;
import io.wharf.model.config.SecretStatus;
import java.util.Objects;

/** Secret data injected into tasks; its values never appear in toString(). */
public record Secret(Metadata metadata, SecretSpec spec, SecretStatus status) implements Resource {
    public Secret {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = SecretStatus.EMPTY;
    }

    public Secret(Metadata metadata, SecretSpec spec) { this(metadata, spec, SecretStatus.EMPTY); }

    @Override public Kind kind() { return Kind.SECRET; }

    @Override public Secret withMetadata(Metadata m) { return new Secret(m, spec, status); }

    @Override public Secret withStatus(Object s) { return new Secret(metadata, spec, (SecretStatus) s); }

    public Secret withSpec(SecretSpec s) { return new Secret(metadata, s, status); }
}
