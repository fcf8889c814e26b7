package io.wharf.model.workload;

import io.wharf.model.Frozen;
import java.time.Instant;
import java.util.List;

/**
 * Cron bookkeeping: the last slot fired (the slot time, not the wall clock), the last
 * successful run, the next slot, and the names of the jobs still running.
 */
public record CronJobStatus(Instant lastScheduledAt, Instant lastSuccessfulAt, Instant nextScheduleAt,
                            List<String> activeJobs) {
    public static final CronJobStatus EMPTY = new CronJobStatus(null, null, null, List.of());

    public CronJobStatus {
        activeJobs = Frozen.list(activeJobs);
    }
}
