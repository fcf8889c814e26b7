package io.wharf.model.workload;

import java.time.Instant;
import java.util.Objects;

/**
 * One ended instance of a job's run, as the job controller recorded it: the instance, the node it
 * ran on, whether it succeeded, the main task's exit code (null when it never ran, e.g. its node
 * died), why it ended in words, and when.
 */
public record JobAttempt(String instance, String node, boolean succeeded, Integer exitCode, String reason,
                         Instant finishedAt) {
    public JobAttempt {
        Objects.requireNonNull(instance, "instance");
    }
}
