package io.wharf.model.workload;

import io.wharf.model.WireValue;

/** Autoscaling signals: cpu percent, gateway request rate and latency, or a custom metric. */
public enum MetricType implements WireValue {
    CPU("cpu"), REQUEST_RATE("requestRate"), LATENCY("latency"), CUSTOM("custom");

    private final String wire;

    MetricType(String wire) { this.wire = wire; }

    @Override public String wire() { return wire; }
}
