package io.wharf.model.workload;

import io.wharf.model.Frozen;
import java.time.Instant;
import java.util.List;

/**
 * Cron bookkeeping, written by the cron controller: the last slot fired (the slot time, not the
 * wall clock), the last successful run, the next slot, the names of the jobs still running,
 * {@code handledThrough} (every slot up to this instant was fired, skipped or reported missed:
 * the controller never looks at them again), the last slot skipped or missed and how many slots
 * were skipped or missed in all.
 */
public record CronJobStatus(Instant lastScheduledAt, Instant lastSuccessfulAt, Instant nextScheduleAt,
                            List<String> activeJobs, Instant handledThrough, Instant lastSkippedAt,
                            long skippedSlots) {
    public static final CronJobStatus EMPTY = new CronJobStatus(null, null, null, List.of());

    public CronJobStatus {
        activeJobs = Frozen.list(activeJobs);
        if (skippedSlots < 0) throw new IllegalArgumentException("skippedSlots must be >= 0");
    }

    public CronJobStatus(Instant lastScheduledAt, Instant lastSuccessfulAt, Instant nextScheduleAt, List<String> activeJobs) {
        this(lastScheduledAt, lastSuccessfulAt, nextScheduleAt, activeJobs, null, null, 0);
    }
}
