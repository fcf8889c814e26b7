package io.wharf.model;

import java.util.Objects;

/** A record of one state change (read-only through the API). */
public record Event(Metadata metadata, EventSpec spec, EventStatus status) implements Resource {
    public Event {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = EventStatus.EMPTY;
    }

    public Event(Metadata metadata, EventSpec spec) { this(metadata, spec, EventStatus.EMPTY); }

    @Override public Kind kind() { return Kind.EVENT; }

    @Override public Event withMetadata(Metadata m) { return new Event(m, spec, status); }

    @Override public Event withStatus(Object s) { return new Event(metadata, spec, (EventStatus) s); }

    public Event withSpec(EventSpec s) { return new Event(metadata, s, status); }
}
