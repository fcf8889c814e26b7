package io.wharf.model.workload;

import io.wharf.model.Condition;
import io.wharf.model.Frozen;
import java.time.Instant;
import java.util.List;

/** Progress of a job: instances active, succeeded and failed, and its phase. */
public record JobStatus(JobPhase phase, int active, int succeeded, int failed, Instant startedAt, Instant completedAt,
                        List<Condition> conditions) {
    public static final JobStatus EMPTY = new JobStatus(JobPhase.PENDING, 0, 0, 0, null, null, List.of());

    public JobStatus {
        if (phase == null) phase = JobPhase.PENDING;
        conditions = Frozen.list(conditions);
    }
}
