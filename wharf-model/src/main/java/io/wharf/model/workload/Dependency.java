package io.wharf.model.workload;

import java.util.Objects;

/** The dependent starts after service or job {@code name} (same namespace) reaches {@code condition}. */
public record Dependency(String name, DependencyCondition condition) {
    public Dependency {
        Objects.requireNonNull(name, "name");
        if (condition == null) condition = DependencyCondition.STARTED;
    }
}
