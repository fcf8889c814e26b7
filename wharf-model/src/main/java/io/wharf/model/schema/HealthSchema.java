package io.wharf.model.schema;

import io.wharf.model.document.Fields;
import io.wharf.model.document.Tree;
import io.wharf.model.task.HealthSpec;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.Probe;
import io.wharf.model.task.ProbeType;
import io.wharf.model.validation.Names;
import io.wharf.model.validation.Suggestions;
import java.time.Duration;
import java.util.List;

/**
 * {@code health:} either one probe (used for both readiness and liveness) or
 * {@code {liveness: probe, readiness: probe}}. A probe's {@code type} is inferred when absent:
 * {@code command} → command, {@code path} → http, otherwise tcp. Its {@code port} defaults to
 * the task's only port.
 */
final class HealthSchema {
    private HealthSchema() {}

    static HealthSpec read(Fields task, List<PortSpec> ports) {
        Tree t = task.take("health");
        if (t == null) return HealthSpec.NONE;
        Fields f = Fields.of(t, task.path("health"), task.problems());
        if (!f.isMapping() || f.keys().isEmpty()) return HealthSpec.NONE;
        if (f.keys().contains("liveness") || f.keys().contains("readiness")) {
            Probe liveness = f.has("liveness") ? probe(f.take("liveness"), f.path("liveness"), f, ports) : null;
            Probe readiness = f.has("readiness") ? probe(f.take("readiness"), f.path("readiness"), f, ports) : null;
            f.finish();
            return new HealthSpec(liveness, readiness);
        }
        Probe p = probe(t, f.path(), f, ports);
        return new HealthSpec(p, p);
    }

    private static Probe probe(Tree t, String path, Fields parent, List<PortSpec> ports) {
        Fields f = Fields.of(t, path, parent.problems());
        if (!f.isMapping()) return null;
        ProbeType type = f.has("type") ? f.choice("type", ProbeType.class, null)
                : f.has("command") ? ProbeType.COMMAND : f.has("path") ? ProbeType.HTTP : ProbeType.TCP;
        String probePath = null;
        String port = null;
        List<String> command = List.of();
        if (type == ProbeType.HTTP) {
            probePath = f.string("path", "/");
            if (!probePath.startsWith("/")) f.problem("path", "must start with /, got \"" + probePath + "\"");
        }
        if (type == ProbeType.HTTP || type == ProbeType.TCP) port = port(f, ports);
        if (type == ProbeType.COMMAND) {
            command = f.words("command");
            if (command.isEmpty()) f.problem("command", "is required for command checks");
        }
        if (type != null) {
            for (String other : List.of("path", "port", "command")) {
                boolean used = other.equals("command") ? type == ProbeType.COMMAND
                        : other.equals("path") ? type == ProbeType.HTTP : type != ProbeType.COMMAND;
                if (!used && f.has(other)) f.problem(other, "not used by " + type.wire() + " checks");
            }
        }
        Duration interval = f.positiveDuration("interval", Probe.DEFAULT_INTERVAL);
        Duration timeout = f.positiveDuration("timeout", Probe.DEFAULT_TIMEOUT);
        if (timeout.compareTo(interval) > 0) {
            f.problem("timeout", "must not be longer than the interval (" + io.wharf.model.quantity.Durations.format(interval) + ")");
        }
        Duration startPeriod = f.duration("startPeriod", Duration.ZERO);
        int failureThreshold = f.integer("failureThreshold", 3, 1, 1000);
        int successThreshold = f.integer("successThreshold", 1, 1, 1000);
        f.finish();
        if (type == null) return null;
        return new Probe(type, probePath, port, command, interval, timeout, startPeriod, failureThreshold, successThreshold);
    }

    /** A port name of the task, or a number; defaults to the task's only port. */
    private static String port(Fields f, List<PortSpec> ports) {
        Tree t = f.take("port");
        List<String> names = ports.stream().map(PortSpec::name).toList();
        if (t == null) {
            if (ports.size() == 1) return ports.get(0).name();
            f.problem("port", ports.isEmpty() ? "is required (the task declares no ports)"
                    : "is required (the task has several ports: " + String.join(", ", names) + ")");
            return null;
        }
        if (!(t instanceof Tree.Scalar s)) {
            f.problem("port", "must be a port name or number, got " + t.describe());
            return null;
        }
        String v = s.text().trim();
        if (v.matches("\\d+")) {
            long n = Long.parseLong(v.length() > 6 ? "999999" : v);
            if (n < 1 || n > 65535) {
                f.problem("port", "must be between 1 and 65535");
                return null;
            }
            return Long.toString(n);
        }
        if (!names.contains(v)) {
            f.problem("port", "unknown port \"" + v + "\"" + (names.isEmpty() ? " (the task declares no ports)"
                    : Suggestions.didYouMean(v, names).isEmpty() ? " (ports: " + String.join(", ", names) + ")"
                    : Suggestions.didYouMean(v, names)));
            return null;
        }
        Names.dnsLabelProblem(v).ifPresent(bad -> f.problem("port", bad));
        return v;
    }
}
