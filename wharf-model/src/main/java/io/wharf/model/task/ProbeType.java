package io.wharf.model.task;

import io.wharf.model.WireValue;

public enum ProbeType implements WireValue {
    HTTP, TCP, COMMAND;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
