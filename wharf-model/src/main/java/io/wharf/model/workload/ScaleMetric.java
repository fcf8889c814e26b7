package io.wharf.model.workload;

import java.util.Objects;

/**
 * One autoscaling target, per instance: {@code cpu} percent of the reservation (1..100),
 * {@code requestRate} requests per second, {@code latency} p95 as a duration, {@code custom}
 * metric {@code name} value. {@code target} keeps the text form ("70", "250", "200ms").
 */
public record ScaleMetric(MetricType type, String target, String name) {
    public ScaleMetric {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
    }
}
