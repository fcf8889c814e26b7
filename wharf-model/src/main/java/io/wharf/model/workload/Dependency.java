package io.wharf.model.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * The dependent starts after service or job {@code name} (same namespace) reaches
 * {@code condition}; if it has not within {@code timeout} (counted from when the dependent
 * began waiting), the dependent fails to start and says which dependency held it.
 */
public record Dependency(String name, DependencyCondition condition, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public Dependency {
        Objects.requireNonNull(name, "name");
        if (condition == null) condition = DependencyCondition.STARTED;
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0");
    }

    public Dependency(String name, DependencyCondition condition) { this(name, condition, null); }
}
