package io.wharf.model.task;

import io.wharf.model.WireValue;

public enum Protocol implements WireValue {
    TCP, UDP;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
