package io.wharf.model.workload;

import io.wharf.model.WireValue;

/** What a cron slot does while the previous run is still active. */
public enum ConcurrencyPolicy implements WireValue {
    ALLOW, FORBID, REPLACE;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
