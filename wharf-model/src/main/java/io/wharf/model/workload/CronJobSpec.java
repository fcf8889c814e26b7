package io.wharf.model.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * Starts a job from {@code job} in every slot of {@code schedule} (UNIX cron, 5 fields, 6 with
 * seconds first, or {@code @hourly}-style nicknames) evaluated in {@code timeZone}. A slot missed
 * by more than {@code startingDeadline} is skipped (null = always run late slots once). Keeps the
 * last {@code historyLimit} successful and {@code failedHistoryLimit} failed jobs.
 * {@code suspend} stops new slots.
 */
public record CronJobSpec(String schedule, String timeZone, ConcurrencyPolicy concurrencyPolicy,
                          Duration startingDeadline, int historyLimit, boolean suspend, JobSpec job,
                          int failedHistoryLimit) {
    public static final int DEFAULT_FAILED_HISTORY = 1;

    public CronJobSpec {
        Objects.requireNonNull(schedule, "schedule");
        if (timeZone == null) timeZone = "UTC";
        if (concurrencyPolicy == null) concurrencyPolicy = ConcurrencyPolicy.ALLOW;
        Objects.requireNonNull(job, "job");
        if (historyLimit < 0 || failedHistoryLimit < 0) throw new IllegalArgumentException("history limits must be >= 0");
    }

    public CronJobSpec(String schedule, String timeZone, ConcurrencyPolicy concurrencyPolicy,
                       Duration startingDeadline, int historyLimit, boolean suspend, JobSpec job) {
        this(schedule, timeZone, concurrencyPolicy, startingDeadline, historyLimit, suspend, job, DEFAULT_FAILED_HISTORY);
    }

    public CronJobSpec withSuspend(boolean s) {
        return new CronJobSpec(schedule, timeZone, concurrencyPolicy, startingDeadline, historyLimit, s, job, failedHistoryLimit);
    }
}
