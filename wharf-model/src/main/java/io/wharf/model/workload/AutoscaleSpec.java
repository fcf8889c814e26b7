package io.wharf.model.workload;

import io.wharf.model.Frozen;
import java.time.Duration;
import java.util.List;

/** Scale between {@code min} and {@code max} replicas on {@code metrics}, at most once per {@code cooldown}. */
public record AutoscaleSpec(int min, int max, List<ScaleMetric> metrics, Duration cooldown) {
    public AutoscaleSpec {
        metrics = Frozen.list(metrics);
        if (cooldown == null) cooldown = Duration.ofMinutes(1);
    }
}
