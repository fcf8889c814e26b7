package io.wharf.model;

import io.wharf.model.workload.CronJobSpec;
import io.wharf.model.workload.CronJobStatus;
import java.util.Objects;

/** A schedule that starts a Job in every slot. */
public record CronJob(Metadata metadata, CronJobSpec spec, CronJobStatus status) implements Resource {
    public CronJob {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = CronJobStatus.EMPTY;
    }

    public CronJob(Metadata metadata, CronJobSpec spec) { this(metadata, spec, CronJobStatus.EMPTY); }

    @Override public Kind kind() { return Kind.CRON_JOB; }

    @Override public CronJob withMetadata(Metadata m) { return new CronJob(m, spec, status); }

    @Override public CronJob withStatus(Object s) { return new CronJob(metadata, spec, (CronJobStatus) s); }

    public CronJob withSpec(CronJobSpec s) { return new CronJob(metadata, s, status); }
}
