package io.wharf.model.validation;

import java.util.Objects;

/**
 * One thing wrong with an input. {@code path} names the field: {@code services.web.health.interval},
 * {@code services.api.dependsOn[0]}, {@code spec.replicas}; it is empty for the document itself.
 */
public record Problem(String path, String reason) {
    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    @Override public String toString() {
        return path.isEmpty() ? reason : path + ": " + reason;
    }
}
