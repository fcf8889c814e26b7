package io.wharf.model.workload;

import io.wharf.model.WireValue;

/** What a dependency must reach before the dependent starts. {@code completed} applies to jobs. */
public enum DependencyCondition implements WireValue {
    STARTED, HEALTHY, COMPLETED;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
