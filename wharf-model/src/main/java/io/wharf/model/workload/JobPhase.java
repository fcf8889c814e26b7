package io.wharf.model.workload;

import io.wharf.model.WireValue;

public enum JobPhase implements WireValue {
    PENDING, RUNNING, SUCCEEDED, FAILED;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
