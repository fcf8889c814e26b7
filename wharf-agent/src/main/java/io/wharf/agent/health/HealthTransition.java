package io.wharf.agent.health;

import java.time.Instant;
import java.util.Objects;

/** A check's state changed from {@code from} to {@code to}; {@code message} is the last result's. */
public record HealthTransition(CheckKind kind, HealthState from, HealthState to, String message, Instant at) {
    public HealthTransition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }
}
