package io.wharf.model.cluster;

import io.wharf.model.WireValue;

/** Result of an instance's readiness checks; UNKNOWN before the first check or without checks. */
public enum Health implements WireValue {
    UNKNOWN, HEALTHY, UNHEALTHY;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
