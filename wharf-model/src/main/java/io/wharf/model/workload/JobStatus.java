package io.wharf.model.workload;

import io.wharf.model.Condition;
import io.wharf.model.Frozen;
import java.time.Instant;
import java.util.List;

/**
 * Progress of a job's current run: its phase, instances active, succeeded and failed, when the
 * run started and finished, the run's number ({@code run}, 0 before the first), the run asked for
 * ({@code requestedRun}: greater than {@code run} when {@code wharf job run} wants another), and
 * every ended instance of the run with its exit code ({@code attempts}, oldest first).
 */
public record JobStatus(JobPhase phase, int active, int succeeded, int failed, Instant startedAt, Instant completedAt,
                        List<Condition> conditions, int run, int requestedRun, List<JobAttempt> attempts) {
    public static final JobStatus EMPTY = new JobStatus(JobPhase.PENDING, 0, 0, 0, null, null, List.of());

    public JobStatus {
        if (phase == null) phase = JobPhase.PENDING;
        conditions = Frozen.list(conditions);
        attempts = Frozen.list(attempts);
    }

    /** A status without run numbers or attempts. */
    public JobStatus(JobPhase phase, int active, int succeeded, int failed, Instant startedAt, Instant completedAt,
                     List<Condition> conditions) {
        this(phase, active, succeeded, failed, startedAt, completedAt, conditions, 0, 0, List.of());
    }

    /** True once the run has succeeded or failed. */
    public boolean finished() {
        return phase == JobPhase.SUCCEEDED || phase == JobPhase.FAILED;
    }
}
