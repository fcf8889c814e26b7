package io.wharf.model.workload;

import io.wharf.model.WireValue;

public enum UpdateStrategy implements WireValue {
    ROLLING, CANARY;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
