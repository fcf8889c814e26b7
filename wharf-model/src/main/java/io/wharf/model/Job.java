package io.wharf.model;

import io.wharf.model.workload.JobSpec;
import io.wharf.model.workload.JobStatus;
import java.util.Objects;

/** A batch workload that runs to completion, with retries. */
public record Job(Metadata metadata, JobSpec spec, JobStatus status) implements Resource {
    public Job {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        if (status == null) status = JobStatus.EMPTY;
    }

    public Job(Metadata metadata, JobSpec spec) { this(metadata, spec, JobStatus.EMPTY); }

    @Override public Kind kind() { return Kind.JOB; }

    @Override public Job withMetadata(Metadata m) { return new Job(m, spec, status); }

    @Override public Job withStatus(Object s) { return new Job(metadata, spec, (JobStatus) s); }

    public Job withSpec(JobSpec s) { return new Job(metadata, s, status); }
}
