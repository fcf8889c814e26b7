package io.wharf.model.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * Starts a job from {@code job} in every slot of {@code schedule} (UNIX cron, 5 fields, or
 * {@code @hourly}-style nicknames) evaluated in {@code timeZone}. A slot missed by more than
 * {@code startingDeadline} is skipped (null = always run late slots once). Keeps the last
 * {@code historyLimit} finished jobs. {@code suspend} stops new slots.
 */
public record CronJobSpec(String schedule, String timeZone, ConcurrencyPolicy concurrencyPolicy,
                          Duration startingDeadline, int historyLimit, boolean suspend, JobSpec job) {
    public CronJobSpec {
        Objects.requireNonNull(schedule, "schedule");
        if (timeZone == null) timeZone = "UTC";
        if (concurrencyPolicy == null) concurrencyPolicy = ConcurrencyPolicy.ALLOW;
        Objects.requireNonNull(job, "job");
    }
}
