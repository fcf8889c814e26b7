package io.wharf.model;

import io.wharf.model.config.ConfigSpec;
import io.wharf.model.config.ConfigStatus;
import java.util.Objects;

/** Plain configuration data injected into tasks as env or files. */
public record Config(Metadata metadata, ConfigSpec spec, ConfigStatus status) implements Resource {
    public Config {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = ConfigStatus.EMPTY;
    }

    public Config(Metadata metadata, ConfigSpec spec) { this(metadata, spec, ConfigStatus.EMPTY); }

    @Override public Kind kind() { return Kind.CONFIG; }

    @Override public Config withMetadata(Metadata m) { return new Config(m, spec, status); }

    @Override public Config withStatus(Object s) { return new Config(metadata, spec, (ConfigStatus) s); }

    public Config withSpec(ConfigSpec s) { return new Config(metadata, s, status); }
}
