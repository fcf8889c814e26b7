package io.wharf.model.workload;

import io.wharf.model.WireValue;

/** Ranking of feasible nodes: pack instances tightly, or spread them out. */
public enum PlacementStrategy implements WireValue {
    BINPACK, SPREAD;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
