package io.wharf.model.cluster;

import io.wharf.model.WireValue;

public enum NodeState implements WireValue {
    READY, DOWN, DRAINING;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
