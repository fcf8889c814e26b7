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
import io.wharf.model.workload.CronJobSpec;
import io.wharf.model.workload.CronSchedules;
import io.wharf.model.workload.Dependency;
import io.wharf.model.workload.DependencyCondition;
import io.wharf.model.workload.JobSpec;
import io.wharf.model.workload.PlacementSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.model.workload.UpdateSpec;
import io.wharf.model.workload.UpdateStrategy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        PlacementSpec placement = PlacementSchema.placement(f);
        List<Dependency> dependsOn = dependsOn(f, name);
        AutoscaleSpec autoscale = AutoscaleSchema.autoscale(f);
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
        PlacementSpec placement = PlacementSchema.placement(f);
        if (placement.global()) f.problem("placement.global", "jobs cannot be global");
        List<Dependency> dependsOn = dependsOn(f, name);
        Duration ttl = f.positiveDuration("ttlAfterFinished", JobSpec.DEFAULT_TTL);
        return new JobSpec(tasks, completions, parallelism, backoffLimit, restart, deadline, placement, dependsOn, ttl);
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
        int failedHistoryLimit = f.integer("failedHistoryLimit", CronJobSpec.DEFAULT_FAILED_HISTORY, 0, 100);
        boolean suspend = f.bool("suspend", false);
        JobSpec job = JobSpec.of();
        if (!f.has("job")) f.problem("job", "is required (the job template)");
        else {
            Fields jf = Fields.of(f.take("job"), f.path("job"), f.problems());
            job = job(jf, name);
            jf.finish();
        }
        return new CronJobSpec(schedule == null ? "" : schedule, zone, policy, startingDeadline, historyLimit, suspend, job,
                failedHistoryLimit);
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
        Duration progress = f.positiveDuration("progressDeadline", d.progressDeadline());
        if (progress.compareTo(minHealthy) <= 0) {
            f.problem("progressDeadline", "must be longer than minHealthyTime (" + Durations.format(minHealthy) + ")");
        }
        f.finish();
        return new UpdateSpec(strategy, parallelism, maxSurge, canaries, weight, minHealthy, deadline, autoRollback, autoPromote,
                progress);
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
                if (item instanceof Tree.Scalar s) d = dependency(s.text(), null, null, p, f.problems());
                else {
                    Fields df = Fields.of(item, p, f.problems());
                    if (!df.isMapping()) continue;
                    String name = df.required("name");
                    DependencyCondition c = df.choice("condition", DependencyCondition.class, DependencyCondition.STARTED);
                    Duration timeout = df.positiveDuration("timeout", Dependency.DEFAULT_TIMEOUT);
                    df.finish();
                    d = name == null ? null : dependency(name, c, timeout, p, f.problems());
                }
                add(deps, seen, d, self, p, f.problems());
            }
        } else if (t instanceof Tree.Mapping m) {
            m.entries().forEach((name, v) -> {
                String p = Paths.field(path, name);
                DependencyCondition c = DependencyCondition.STARTED;
                Duration timeout = Dependency.DEFAULT_TIMEOUT;
                if (v instanceof Tree.Mapping) {
                    Fields df = Fields.of(v, p, f.problems());
                    c = df.choice("condition", DependencyCondition.class, DependencyCondition.STARTED);
                    timeout = df.positiveDuration("timeout", Dependency.DEFAULT_TIMEOUT);
                    df.finish();
                } else if (!(v instanceof Tree.Null)) {
                    c = Scalars.choice(v, DependencyCondition.class, p, f.problems());
                }
                add(deps, seen, dependency(name, c, timeout, p, f.problems()), self, p, f.problems());
            });
        } else {
            f.problem("dependsOn", "must be a list of names or a mapping of name to condition, got " + t.describe());
        }
        return deps;
    }

    private static Dependency dependency(String name, DependencyCondition c, Duration timeout, String path,
                                         Problems problems) {
        var bad = Names.dnsLabelProblem(name);
        if (bad.isPresent()) {
            problems.add(path, bad.get());
            return null;
        }
        return new Dependency(name, c, timeout);
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

}
