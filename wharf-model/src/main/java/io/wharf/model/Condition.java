package io.wharf.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One observed fact in a status, Kubernetes style: {@code type} (Available, Progressing,
 * RolloutFailed, ...), whether it holds, why, and since when.
 */
public record Condition(String type, boolean status, String reason, String message, Instant since) {
    public Condition {
        Objects.requireNonNull(type, "type");
    }
}
