package io.wharf.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What happened: {@code type} (Created, Updated, Deleted, Scheduled, Started, Failed, ...),
 * the resource it happened to, a machine-readable {@code reason} and a human {@code message}.
 */
public record EventSpec(String type, ResourceRef involved, String reason, String message, Instant at) {
    public EventSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(involved, "involved");
    }
}
