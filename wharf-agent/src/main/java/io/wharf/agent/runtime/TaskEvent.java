package io.wharf.agent.runtime;

import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import java.time.Instant;
import java.util.Objects;

/**
 * A task changed state. {@code reason} says why in words a user can act on; {@code restarts} is
 * how often the task was restarted so far; {@code handle} is set while it runs (persist it to
 * recover the task after an agent restart).
 */
public record TaskEvent(TaskId task, TaskState state, String reason, int restarts, TaskHandle handle, Instant at) {
    public TaskEvent {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
