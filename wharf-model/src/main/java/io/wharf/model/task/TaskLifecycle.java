package io.wharf.model.task;

import io.wharf.model.WireValue;

/**
 * When a task runs inside its instance: {@code prestart} tasks run to completion before the
 * others start; {@code main} (exactly one per instance) and {@code sidecar} tasks run together;
 * {@code poststop} tasks run after main and sidecars stopped.
 */
public enum TaskLifecycle implements WireValue {
    PRESTART, MAIN, SIDECAR, POSTSTOP;

    @Override public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
