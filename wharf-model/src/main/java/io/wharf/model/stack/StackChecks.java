package io.wharf.model.stack;

import io.wharf.model.Kind;
import io.wharf.model.document.Paths;
import io.wharf.model.document.Problems;
import io.wharf.model.routing.RouteSpec;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.Protocol;
import io.wharf.model.validation.Suggestions;
import io.wharf.model.workload.DependencyCondition;
import io.wharf.model.workload.JobSpec;
import io.wharf.model.workload.ServiceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Checks across the resources of one stack file: unique names, every reference resolves
 * (dependencies, route backends and ports, config/secret mounts, named volumes, placement
 * conflicts), dependency conditions fit their target, and no dependency cycles.
 */
final class StackChecks {
    private final Problems problems;
    private final List<StackReader.Entry> entries;
    private final List<String> volumes;
    private final Map<String, StackReader.Entry> services = new LinkedHashMap<>();
    private final Map<String, StackReader.Entry> jobs = new LinkedHashMap<>();

    StackChecks(Problems problems, List<StackReader.Entry> entries, List<String> volumes) {
        this.problems = problems;
        this.entries = entries;
        this.volumes = volumes;
    }

    void run() {
        uniqueNames();
        for (StackReader.Entry e : entries) {
            if (e.kind() == Kind.SERVICE) services.putIfAbsent(e.name(), e);
            if (e.kind() == Kind.JOB) jobs.putIfAbsent(e.name(), e);
        }
        for (StackReader.Entry e : entries) {
            for (Problems.Reference r : e.refs()) {
                switch (r.type()) {
                    case "dependency" -> dependency(e, r);
                    case "backend" -> backend(r);
                    case "config" -> exists(r, Kind.CONFIG, "config");
                    case "secret" -> exists(r, Kind.SECRET, "secret");
                    case "volume" -> {
                        if (!volumes.contains(r.name())) {
                            String hint = Suggestions.didYouMean(r.name(), volumes);
                            problems.add(r.path(), "unknown volume \"" + r.name() + "\""
                                    + (hint.isEmpty() ? " (declare it under the top-level volumes)" : hint));
                        }
                    }
                    case "conflict" -> {
                        if (e.kind() == Kind.SERVICE && r.name().equals(e.name())) {
                            problems.add(r.path(), "a service cannot conflict with itself (use distinctNodes)");
                        } else {
                            exists(r, Kind.SERVICE, "service");
                        }
                    }
                    default -> throw new IllegalStateException(r.type());
                }
            }
        }
        cycles();
        routeClashes();
    }

    /** Two routes of the stack may not claim the same host and path prefix. */
    private void routeClashes() {
        Map<String, StackReader.Entry> seen = new HashMap<>();
        for (StackReader.Entry e : entries) {
            if (!(e.spec() instanceof RouteSpec r)) continue;
            String key = (r.host() == null ? "*" : r.host()) + r.path();
            StackReader.Entry first = seen.putIfAbsent(key, e);
            if (first != null) {
                problems.add(e.path(), "same host and path as " + first.path() + " (" + (r.host() == null ? "any host" : r.host()) + " " + r.path() + ")");
            }
        }
    }

    /** Names are unique per kind; services and jobs also share one space (dependsOn names either). */
    private void uniqueNames() {
        Map<String, StackReader.Entry> seen = new HashMap<>();
        for (StackReader.Entry e : entries) {
            Kind space = e.kind() == Kind.JOB ? Kind.SERVICE : e.kind();
            StackReader.Entry first = seen.putIfAbsent(space + "/" + e.name(), e);
            if (first != null) {
                problems.add(e.path(), "name \"" + e.name() + "\" is already used by " + first.path());
            }
        }
    }

    private void dependency(StackReader.Entry owner, Problems.Reference r) {
        DependencyCondition condition = DependencyCondition.valueOf(r.detail().toUpperCase(java.util.Locale.ROOT));
        StackReader.Entry target = services.containsKey(r.name()) ? services.get(r.name()) : jobs.get(r.name());
        if (target == null) {
            List<String> names = new ArrayList<>(services.keySet());
            names.addAll(jobs.keySet());
            problems.add(r.path(), "unknown service or job \"" + r.name() + "\"" + Suggestions.didYouMean(r.name(), names));
            return;
        }
        if (target.kind() == Kind.SERVICE && condition == DependencyCondition.COMPLETED) {
            problems.add(r.path(), "\"" + r.name() + "\" is a service and never completes: use started or healthy");
        } else if (target.kind() == Kind.JOB && condition == DependencyCondition.HEALTHY) {
            problems.add(r.path(), "\"" + r.name() + "\" is a job: use completed or started");
        } else if (condition == DependencyCondition.HEALTHY && target.spec() instanceof ServiceSpec s
                && s.tasks().stream().allMatch(t -> t.health().readiness() == null)) {
            problems.add(r.path(), "\"" + r.name() + "\" has no readiness check, so it never becomes healthy");
        }
    }

    private void backend(Problems.Reference r) {
        StackReader.Entry target = services.get(r.name());
        if (target == null) {
            problems.add(r.path(), "unknown service \"" + r.name() + "\"" + Suggestions.didYouMean(r.name(), services.keySet()));
            return;
        }
        List<PortSpec> ports = ((ServiceSpec) target.spec()).tasks().stream().flatMap(t -> t.ports().stream()).toList();
        String service = "service \"" + r.name() + "\"";
        if (ports.isEmpty()) {
            problems.add(r.detailPath(), service + " declares no ports");
            return;
        }
        PortSpec port;
        if (r.detail() == null) {
            if (ports.size() > 1) {
                problems.add(r.detailPath(), "is required (" + service + " has several ports: "
                        + ports.stream().map(PortSpec::name).collect(Collectors.joining(", ")) + ")");
                return;
            }
            port = ports.get(0);
        } else if (r.detail().matches("\\d+")) {
            int n = Integer.parseInt(r.detail());
            port = ports.stream().filter(p -> p.port() == n).findFirst().orElse(null);
            if (port == null) {
                problems.add(r.detailPath(), service + " has no port " + n);
                return;
            }
        } else {
            port = ports.stream().filter(p -> p.name().equals(r.detail())).findFirst().orElse(null);
            if (port == null) {
                List<String> names = ports.stream().map(PortSpec::name).toList();
                String hint = Suggestions.didYouMean(r.detail(), names);
                problems.add(r.detailPath(), "unknown port \"" + r.detail() + "\" of " + service
                        + (hint.isEmpty() ? " (ports: " + String.join(", ", names) + ")" : hint));
                return;
            }
        }
        if (port.protocol() == Protocol.UDP) {
            problems.add(r.detailPath(), "port \"" + port.name() + "\" of " + service + " is udp; routes need a tcp port");
        }
    }

    private void exists(Problems.Reference r, Kind kind, String what) {
        List<String> names = entries.stream().filter(e -> e.kind() == kind).map(StackReader.Entry::name).toList();
        if (!names.contains(r.name())) {
            problems.add(r.path(), "unknown " + what + " \"" + r.name() + "\"" + Suggestions.didYouMean(r.name(), names));
        }
    }

    private void cycles() {
        List<String> order = new ArrayList<>();
        Map<String, List<String>> edges = new HashMap<>();
        Map<String, StackReader.Entry> byName = new HashMap<>();
        for (StackReader.Entry e : entries) {
            if (e.kind() != Kind.SERVICE && e.kind() != Kind.JOB) continue;
            if (byName.putIfAbsent(e.name(), e) != null) continue;
            order.add(e.name());
            var deps = e.spec() instanceof ServiceSpec s ? s.dependsOn() : ((JobSpec) e.spec()).dependsOn();
            edges.put(e.name(), deps.stream().map(d -> d.name()).filter(Objects::nonNull).toList());
        }
        for (List<String> cycle : DependencyCycles.find(order, edges)) {
            StackReader.Entry first = byName.get(cycle.get(0));
            problems.add(Paths.field(first.path(), "dependsOn"), "dependency cycle " + String.join(" -> ", cycle));
        }
    }
}
