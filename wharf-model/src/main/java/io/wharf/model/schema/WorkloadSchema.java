package io.wharf.model.schema;

import io.wharf.model.document.Fields;
import io.wharf.model.document.Paths;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Scalars;
import io.wharf.model.document.Tree;
import io.wharf.model.quantity.Durations;
import io.wharf.model.task.RestartMode;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.validation.Names;
import io.wharf.model.validation.Suggestions;
import io.wharf.model.workload.AutoscaleSpec;
import io.wharf.model.workload.ConcurrencyPolicy;
import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import io.wharf.model.workload.CronJobSpec;
import io.wharf.model.workload.CronSchedules;
import io.wharf.model.workload.Dependency;
import io.wharf.model.workload.DependencyCondition;
import io.wharf.model.workload.JobSpec;
import io.wharf.model.workload.MetricType;
import io.wharf.model.workload.PlacementSpec;
import io.wharf.model.workload.PlacementStrategy;
import io.wharf.model.workload.ScaleMetric;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.model.workload.UpdateSpec;
import io.wharf.model.workload.UpdateStrategy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Service, job and cron job specs and their blocks (restart, update, placement, dependsOn, autoscale). */
public final class WorkloadSchema {
    private WorkloadSchema() {}

    private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

    /** Reads a service spec from {@code f} (the caller finishes {@code f}). */
    public static ServiceSpec service(Fields f, String name) {
        boolean replicasGiven = f.has("replicas");
        int replicas = f.integer("replicas", 1, 0, 10_000);
        List<TaskSpec> tasks = TaskSchema.readTasks(f, name);
        RestartPolicy restart = restart(f, RestartPolicy.SERVICE_DEFAULT, false);
        UpdateSpec update = update(f);
        PlacementSpec placement = placement(f);
        List<Dependency> dependsOn = dependsOn(f, name);
        AutoscaleSpec autoscale = autoscale(f);
        if (autoscale != null && !replicasGiven) replicas = autoscale.min();
        if (placement.global() && replicasGiven && replicas != 1) f.problem("replicas", "not allowed with placement.global (one instance per node)");
        if (autoscale != null && replicasGiven && autoscale.min() <= autoscale.max() && (replicas < autoscale.min() || replicas > autoscale.max())) {
            f.problem("replicas", "must be between autoscale.min and autoscale.max (" + autoscale.min() + ".." + autoscale.max() + ")");
        }
        if (update.strategy() == UpdateStrategy.CANARY && update.canaries() > 0 && replicasGiven && update.canaries() > replicas) {
            f.problem("update.canaries", "must be <= replicas (" + replicas + ")");
        }
        return new ServiceSpec(replicas, tasks, restart, update, placement, dependsOn, autoscale);
    }

    /** Reads a job spec; {@code retries} is accepted as another name for {@code backoffLimit}. */
    public static JobSpec job(Fields f, String name) {
        List<TaskSpec> tasks = TaskSchema.readTasks(f, name);
        int completions = f.integer("completions", 1, 1, 10_000);
        int parallelism = f.integer("parallelism", 1, 1, 10_000);
        int backoffLimit;
        if (f.has("retries") && f.has("backoffLimit")) {
            f.problem("retries", "use either retries or backoffLimit, not both");
            backoffLimit = f.integer("backoffLimit", 3, 0, 1000);
        } else if (f.has("retries")) {
            backoffLimit = f.integer("retries", 3, 0, 1000);
        } else {
            backoffLimit = f.integer("backoffLimit", 3, 0, 1000);
        }
        RestartPolicy restart = restart(f, RestartPolicy.JOB_DEFAULT, true);
        Duration deadline = f.has("activeDeadline") ? f.positiveDuration("activeDeadline", null) : null;
        PlacementSpec placement = placement(f);
        if (placement.global()) f.problem("placement.global", "jobs cannot be global");
        List<Dependency> dependsOn = dependsOn(f, name);
        return new JobSpec(tasks, completions, parallelism, backoffLimit, restart, deadline, placement, dependsOn);
    }

    public static CronJobSpec cronJob(Fields f, String name) {
        String schedule = f.required("schedule");
        if (schedule != null) CronSchedules.problem(schedule).ifPresent(bad -> f.problem("schedule", bad));
        String zone = f.string("timeZone", "UTC");
        if (!ZONES.contains(zone) && !zone.equals("UTC")) {
            f.problem("timeZone", "unknown time zone \"" + zone + "\"" + Suggestions.didYouMean(zone, ZONES));
        }
        ConcurrencyPolicy policy = f.choice("concurrencyPolicy", ConcurrencyPolicy.class, ConcurrencyPolicy.ALLOW);
        Duration startingDeadline = f.has("startingDeadline") ? f.positiveDuration("startingDeadline", null) : null;
        int historyLimit = f.integer("historyLimit", 3, 0, 100);
        boolean suspend = f.bool("suspend", false);
        JobSpec job = JobSpec.of();
        if (!f.has("job")) f.problem("job", "is required (the job template)");
        else {
            Fields jf = Fields.of(f.take("job"), f.path("job"), f.problems());
            job = job(jf, name);
            jf.finish();
        }
        return new CronJobSpec(schedule == null ? "" : schedule, zone, policy, startingDeadline, historyLimit, suspend, job);
    }

    static RestartPolicy restart(Fields parent, RestartPolicy d, boolean job) {
        if (!parent.has("restart")) return d;
        Fields f = Fields.of(parent.take("restart"), parent.path("restart"), parent.problems());
        RestartMode mode = f.choice("policy", RestartMode.class, d.policy());
        if (job && mode == RestartMode.ALWAYS) f.problem("policy", "jobs cannot restart always; use on-failure or never");
        int attempts = f.integer("attempts", d.attempts(), 0, 1000);
        Duration interval = f.positiveDuration("interval", d.interval());
        Duration delay = f.duration("delay", d.delay());
        Duration maxDelay = f.duration("maxDelay", d.maxDelay());
        if (maxDelay.compareTo(delay) < 0) f.problem("maxDelay", "must not be shorter than delay (" + Durations.format(delay) + ")");
        double multiplier = f.decimal("multiplier", d.multiplier(), 1.0);
        f.finish();
        return new RestartPolicy(mode, attempts, interval, delay, maxDelay, multiplier);
    }

    static UpdateSpec update(Fields parent) {
        UpdateSpec d = UpdateSpec.DEFAULT;
        if (!parent.has("update")) return d;
        Fields f = Fields.of(parent.take("update"), parent.path("update"), parent.problems());
        UpdateStrategy strategy = f.choice("strategy", UpdateStrategy.class, d.strategy());
        int parallelism = f.integer("parallelism", d.parallelism(), 1, 10_000);
        int maxSurge = f.integer("maxSurge", d.maxSurge(), 0, 10_000);
        int canaries = f.integer("canaries", strategy == UpdateStrategy.CANARY ? 1 : 0, 0, 10_000);
        int weight = f.integer("canaryWeight", strategy == UpdateStrategy.CANARY ? 10 : 0, 0, 100);
        if (strategy == UpdateStrategy.CANARY && canaries == 0) f.problem("canaries", "must be >= 1 for the canary strategy");
        if (strategy == UpdateStrategy.ROLLING && (f.has("canaries") || f.has("canaryWeight")) && (canaries > 0 || weight > 0)) {
            f.problem("strategy", "must be canary when canaries or canaryWeight are set");
        }
        Duration minHealthy = f.duration("minHealthyTime", d.minHealthyTime());
        Duration deadline = f.positiveDuration("healthyDeadline", d.healthyDeadline());
        if (deadline.compareTo(minHealthy) <= 0) {
            f.problem("healthyDeadline", "must be longer than minHealthyTime (" + Durations.format(minHealthy) + ")");
        }
        boolean autoRollback = f.bool("autoRollback", d.autoRollback());
        boolean autoPromote = f.bool("autoPromote", d.autoPromote());
        f.finish();
        return new UpdateSpec(strategy, parallelism, maxSurge, canaries, weight, minHealthy, deadline, autoRollback, autoPromote);
    }

    static PlacementSpec placement(Fields parent) {
        if (!parent.has("placement")) return PlacementSpec.DEFAULT;
        Fields f = Fields.of(parent.take("placement"), parent.path("placement"), parent.problems());
        List<Constraint> constraints = f.list("constraints", (t, p) -> constraint(t, p, f.problems()));
        PlacementStrategy strategy = f.choice("strategy", PlacementStrategy.class, PlacementStrategy.BINPACK);
        boolean global = f.bool("global", false);
        boolean distinct = f.bool("distinctNodes", false);
        List<String> conflicts = f.list("conflicts", (t, p) -> {
            String n = Scalars.text(t, p, f.problems());
            if (n != null && Names.dnsLabelProblem(n).isPresent()) {
                f.problems().add(p, Names.dnsLabelProblem(n).get());
                return null;
            }
            if (n != null) f.problems().refer("conflict", n, p);
            return n;
        });
        f.finish();
        return new PlacementSpec(constraints, strategy, global, distinct, conflicts);
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("node\\.(name|address|labels\\..+)");

    /** {@code "node.labels.zone == a"} or {@code {attribute, operator, value}}. */
    static Constraint constraint(Tree t, String path, Problems problems) {
        String attribute;
        String op;
        String value;
        Fields f = null;
        if (t instanceof Tree.Scalar s) {
            List<String> words = Arrays.asList(s.text().trim().split("\\s+", 3));
            if (words.size() < 2) {
                problems.add(path, "must be \"ATTRIBUTE OPERATOR VALUE\" like \"node.labels.zone == a\", got \"" + s.text() + "\"");
                return null;
            }
            attribute = words.get(0);
            op = words.get(1);
            value = words.size() > 2 ? words.get(2) : null;
        } else {
            f = Fields.of(t, path, problems);
            if (!f.isMapping()) return null;
            attribute = f.required("attribute");
            op = f.string("operator", "==");
            value = f.string("value");
            f.finish();
            if (attribute == null) return null;
        }
        boolean ok = true;
        if (!ATTRIBUTE.matcher(attribute).matches()) {
            problems.add(path, "unknown attribute \"" + attribute + "\" (use node.name, node.address or node.labels.<key>)");
            ok = false;
        }
        var operator = ConstraintOperator.parse(op);
        if (operator.isEmpty()) {
            problems.add(path, "unknown operator \"" + op + "\" (use ==, !=, =~, in, not-in or exists)");
            return null;
        }
        if (operator.get() == ConstraintOperator.EXISTS) {
            if (value != null) problems.add(path, "exists takes no value");
        } else if (value == null || value.isBlank()) {
            problems.add(path, "operator " + op + " needs a value");
            ok = false;
        } else if (operator.get() == ConstraintOperator.REGEX) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                problems.add(path, "invalid regular expression \"" + value + "\": " + e.getDescription());
                ok = false;
            }
        }
        return ok ? new Constraint(attribute, operator.get(), value) : null;
    }

    /** A list of names, a list of {name, condition}, or a mapping name → condition. */
    static List<Dependency> dependsOn(Fields f, String self) {
        Tree t = f.take("dependsOn");
        List<Dependency> deps = new ArrayList<>();
        if (t == null) return deps;
        String path = f.path("dependsOn");
        Set<String> seen = new HashSet<>();
        if (t instanceof Tree.Sequence seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                Tree item = seq.items().get(i);
                String p = Paths.index(path, i);
                Dependency d;
                if (item instanceof Tree.Scalar s) d = dependency(s.text(), null, p, f.problems());
                else {
                    Fields df = Fields.of(item, p, f.problems());
                    if (!df.isMapping()) continue;
                    String name = df.required("name");
                    DependencyCondition c = df.choice("condition", DependencyCondition.class, DependencyCondition.STARTED);
                    df.finish();
                    d = name == null ? null : dependency(name, c, p, f.problems());
                }
                add(deps, seen, d, self, p, f.problems());
            }
        } else if (t instanceof Tree.Mapping m) {
            m.entries().forEach((name, v) -> {
                String p = Paths.field(path, name);
                DependencyCondition c = DependencyCondition.STARTED;
                if (v instanceof Tree.Mapping) {
                    Fields df = Fields.of(v, p, f.problems());
                    c = df.choice("condition", DependencyCondition.class, DependencyCondition.STARTED);
                    df.finish();
                } else if (!(v instanceof Tree.Null)) {
                    c = Scalars.choice(v, DependencyCondition.class, p, f.problems());
                }
                add(deps, seen, dependency(name, c, p, f.problems()), self, p, f.problems());
            });
        } else {
            f.problem("dependsOn", "must be a list of names or a mapping of name to condition, got " + t.describe());
        }
        return deps;
    }

    private static Dependency dependency(String name, DependencyCondition c, String path, Problems problems) {
        var bad = Names.dnsLabelProblem(name);
        if (bad.isPresent()) {
            problems.add(path, bad.get());
            return null;
        }
        return new Dependency(name, c);
    }

    private static void add(List<Dependency> deps, Set<String> seen, Dependency d, String self, String path, Problems problems) {
        if (d == null) return;
        if (d.name().equals(self)) problems.add(path, "\"" + self + "\" cannot depend on itself");
        else if (!seen.add(d.name())) problems.add(path, "duplicate dependency \"" + d.name() + "\"");
        else {
            deps.add(d);
            problems.refer("dependency", d.name(), path, d.condition().wire(), null);
        }
    }

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
