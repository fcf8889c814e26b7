package io.wharf.agent.runtime;

import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import java.time.Instant;
import java.util.Objects;

/**
 * A task changed state. {@code reason} says why in words a user can act on; {@code restarts} is
 * how often the task was restarted so far; {@code handle} is set while it runs (persist it to
 * recover the task after an agent restart); {@code exitCode} is the status of the task's last
 * exit (null while it never exited, or when it was stopped or killed for a failed liveness check
 * rather than exiting on its own).
 */
public record TaskEvent(TaskId task, TaskState state, String reason, int restarts, TaskHandle handle, Integer exitCode,
                        Instant at) {
    public TaskEvent {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
