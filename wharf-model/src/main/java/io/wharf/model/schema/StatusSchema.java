package io.wharf.model.schema;

import io.wharf.model.Condition;
import io.wharf.model.document.Fields;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Tree;
import io.wharf.model.routing.RouteStatus;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.CronJobStatus;
import io.wharf.model.workload.JobAttempt;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.model.workload.Rollout;
import io.wharf.model.workload.RolloutPhase;
import io.wharf.model.workload.RolloutRecord;
import io.wharf.model.workload.JobPhase;
import io.wharf.model.workload.JobStatus;
import io.wharf.model.workload.ServiceStatus;
import io.wharf.model.document.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Statuses of services, jobs, cron jobs and routes (written by controllers, validated all the same). */
public final class StatusSchema {
    private StatusSchema() {}

    public static ServiceStatus service(Fields f) {
        ServiceStatus counts = new ServiceStatus(f.integer("desired", 0, 0, Integer.MAX_VALUE),
                f.integer("running", 0, 0, Integer.MAX_VALUE), f.integer("ready", 0, 0, Integer.MAX_VALUE),
                f.longInteger("observedRevision", 0, 0), conditions(f));
        Rollout rollout = null;
        if (f.has("rollout")) {
            Fields rf = Fields.of(f.take("rollout"), f.path("rollout"), f.problems());
            rollout = rf.isMapping() ? rollout(rf) : null;
            rf.finish();
        }
        List<RolloutRecord> history = f.list("history", (t, p) -> {
            Fields hf = Fields.of(t, p, f.problems());
            RolloutRecord r = hf.isMapping() ? record(hf) : null;
            hf.finish();
            return r;
        });
        return counts.withRollout(rollout, history, f.instant("restartedAt")).withInputs(inputs(f));
    }

    /**
     * The {@code inputs} of a status, template or instance spec: {@code config/NAME} or
     * {@code secret/NAME} to a stored revision (an integer >= 0).
     */
    public static Map<String, Long> inputs(Fields f) {
        Map<String, Long> out = new TreeMap<>();
        f.stringMap("inputs").forEach((k, v) -> {
            String path = Paths.field(f.path("inputs"), k);
            if (!k.startsWith("config/") && !k.startsWith("secret/")) {
                f.problems().add(path, "must name config/NAME or secret/NAME");
            } else if (!v.trim().matches("\\d{1,18}")) {
                f.problems().add(path, "must be a revision (an integer >= 0), got " + v);
            } else {
                out.put(k, Long.parseLong(v.trim()));
            }
        });
        return out;
    }

    private static Rollout rollout(Fields f) {
        String hash = f.required("hash");
        InstanceTemplate template = template(f, "template");
        InstanceTemplate stable = f.has("stable") ? template(f, "stable") : null;
        Rollout r = new Rollout(f.longInteger("revision", 0, 0), hash == null ? "" : hash, template == null
                ? new InstanceTemplate(List.of(), null, null) : template, stable,
                f.choice("phase", RolloutPhase.class, RolloutPhase.PROGRESSING), f.integer("updated", 0, 0, Integer.MAX_VALUE),
                f.bool("promoted", false), f.bool("rollback", false), f.instant("startedAt"), f.instant("progressAt"),
                f.instant("finishedAt"), f.string("message"));
        return hash == null || template == null ? null : r;
    }

    private static RolloutRecord record(Fields f) {
        String hash = f.required("hash");
        InstanceTemplate template = template(f, "template");
        RolloutRecord r = new RolloutRecord(f.longInteger("revision", 0, 0), hash == null ? "" : hash,
                f.choice("phase", RolloutPhase.class, RolloutPhase.SUCCEEDED), f.instant("startedAt"), f.instant("finishedAt"),
                f.string("reason"), template == null ? new InstanceTemplate(List.of(), null, null) : template);
        return hash == null || template == null ? null : r;
    }

    /** An instance template: {@code tasks} as a service spec writes them, {@code restart}, {@code restartedAt}. */
    private static InstanceTemplate template(Fields parent, String key) {
        if (!parent.has(key)) {
            parent.problem(key, "is required");
            return null;
        }
        Fields f = Fields.of(parent.take(key), parent.path(key), parent.problems());
        if (!f.isMapping()) {
            f.finish();
            return null;
        }
        int before = f.problems().size();
        List<TaskSpec> tasks = f.has("tasks") ? TaskSchema.readTasks(f, "main") : List.of();
        RestartPolicy restart = WorkloadSchema.restart(f, RestartPolicy.SERVICE_DEFAULT, false);
        InstanceTemplate t = new InstanceTemplate(tasks, restart, f.instant("restartedAt"), inputs(f));
        f.finish();
        return f.problems().size() > before ? null : t;
    }

    public static JobStatus job(Fields f) {
        return new JobStatus(f.choice("phase", JobPhase.class, JobPhase.PENDING), f.integer("active", 0, 0, Integer.MAX_VALUE),
                f.integer("succeeded", 0, 0, Integer.MAX_VALUE), f.integer("failed", 0, 0, Integer.MAX_VALUE),
                f.instant("startedAt"), f.instant("completedAt"), conditions(f), f.integer("run", 0, 0, Integer.MAX_VALUE),
                f.integer("requestedRun", 0, 0, Integer.MAX_VALUE), f.list("attempts", (t, p) -> attempt(t, p, f.problems())));
    }

    private static JobAttempt attempt(Tree t, String path, Problems problems) {
        Fields f = Fields.of(t, path, problems);
        if (!f.isMapping()) return null;
        String instance = f.required("instance");
        JobAttempt a = new JobAttempt(instance == null ? "" : instance, f.string("node"), f.bool("succeeded", false),
                f.optionalInteger("exitCode", Integer.MIN_VALUE, Integer.MAX_VALUE), f.string("reason"),
                f.instant("finishedAt"));
        f.finish();
        return instance == null ? null : a;
    }

    public static CronJobStatus cronJob(Fields f) {
        return new CronJobStatus(f.instant("lastScheduledAt"), f.instant("lastSuccessfulAt"), f.instant("nextScheduleAt"),
                f.strings("activeJobs"), f.instant("handledThrough"), f.instant("lastSkippedAt"),
                f.longInteger("skippedSlots", 0, 0));
    }

    public static RouteStatus route(Fields f) {
        return new RouteStatus(f.integer("endpoints", 0, 0, Integer.MAX_VALUE));
    }

    static List<Condition> conditions(Fields f) {
        return f.list("conditions", (t, p) -> condition(t, p, f.problems()));
    }

    private static Condition condition(Tree t, String path, Problems problems) {
        Fields f = Fields.of(t, path, problems);
        if (!f.isMapping()) return null;
        String type = f.required("type");
        Condition c = new Condition(type == null ? "" : type, f.bool("status", false), f.string("reason"), f.string("message"),
                f.instant("since"));
        f.finish();
        return type == null ? null : c;
    }
}
