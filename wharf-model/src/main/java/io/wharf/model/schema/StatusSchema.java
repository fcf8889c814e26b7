package io.wharf.model.schema;

import io.wharf.model.Condition;
import io.wharf.model.document.Fields;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Tree;
import io.wharf.model.routing.RouteStatus;
import io.wharf.model.workload.CronJobStatus;
import io.wharf.model.workload.JobAttempt;
import io.wharf.model.workload.JobPhase;
import io.wharf.model.workload.JobStatus;
import io.wharf.model.workload.ServiceStatus;
import java.util.List;

/** Statuses of services, jobs, cron jobs and routes (written by controllers, validated all the same). */
public final class StatusSchema {
    private StatusSchema() {}

    public static ServiceStatus service(Fields f) {
        return new ServiceStatus(f.integer("desired", 0, 0, Integer.MAX_VALUE), f.integer("running", 0, 0, Integer.MAX_VALUE),
                f.integer("ready", 0, 0, Integer.MAX_VALUE), f.longInteger("observedRevision", 0, 0), conditions(f));
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
                f.strings("activeJobs"));
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
