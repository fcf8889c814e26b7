package io.wharf.model.schema;

import io.wharf.model.document.Fields;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Tree;
import io.wharf.model.quantity.Durations;
import io.wharf.model.workload.AutoscaleSpec;
import io.wharf.model.workload.MetricType;
import io.wharf.model.workload.ScaleMetric;
import java.time.Duration;
import java.util.List;

/** {@code autoscale:} min, max, cooldown and metrics with a target checked per metric type. */
final class AutoscaleSchema {
    private AutoscaleSchema() {}

    static AutoscaleSpec autoscale(Fields parent) {
        if (!parent.has("autoscale")) return null;
        Fields f = Fields.of(parent.take("autoscale"), parent.path("autoscale"), parent.problems());
        int min = f.integer("min", 1, 0, 10_000);
        if (!f.has("max")) f.problem("max", "is required");
        int max = f.integer("max", Math.max(min, 1), 1, 10_000);
        if (f.has("max") && max < min) f.problem("max", "must be >= min (" + min + ")");
        List<ScaleMetric> metrics = f.list("metrics", (t, p) -> metric(t, p, f.problems()));
        if (!f.has("metrics")) f.problem("metrics", "is required (at least one of cpu, requestRate, latency, custom)");
        else if (metrics.isEmpty() && f.take("metrics") instanceof Tree.Sequence s && s.items().isEmpty()) {
            f.problem("metrics", "needs at least one metric");
        }
        Duration cooldown = f.positiveDuration("cooldown", Duration.ofMinutes(1));
        f.finish();
        return new AutoscaleSpec(min, max, metrics, cooldown);
    }
    private static ScaleMetric metric(Tree t, String path, Problems problems) {
        Fields f = Fields.of(t, path, problems);
        if (!f.isMapping()) return null;
        if (!f.has("type")) f.problem("type", "is required (cpu, requestRate, latency or custom)");
        MetricType type = f.choice("type", MetricType.class, null);
        String target = f.required("target");
        String name = f.string("name");
        if (type == MetricType.CUSTOM && name == null) f.problem("name", "is required for custom metrics");
        if (type != null && type != MetricType.CUSTOM && name != null) f.problem("name", "only custom metrics have a name");
        if (type != null && target != null) {
            String bad = switch (type) {
                case CPU -> target.matches("\\d{1,3}%?") && Integer.parseInt(target.replace("%", "")) >= 1
                        && Integer.parseInt(target.replace("%", "")) <= 100 ? null : "must be a percentage between 1 and 100";
                case LATENCY -> Durations.parse(target).filter(d -> !d.isZero()).isPresent() ? null
                        : "must be a duration like \"200ms\"";
                case REQUEST_RATE, CUSTOM -> target.matches("\\d+(\\.\\d+)?") && Double.parseDouble(target) > 0 ? null
                        : "must be a positive number";
            };
            if (bad != null) {
                f.problem("target", bad + ", got \"" + target + "\"");
                target = null;
            }
        }
        f.finish();
        return type == null || target == null ? null : new ScaleMetric(type, target, name);
    }
}
