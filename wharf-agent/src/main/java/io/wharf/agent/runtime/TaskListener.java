package io.wharf.agent.runtime;

import io.wharf.agent.driver.TaskId;
import io.wharf.agent.health.HealthTransition;

/**
 * Hears what happens to tasks. Called on the runner's own threads, one call at a time per task;
 * implementations must not block for long.
 */
public interface TaskListener {
    void onTaskEvent(TaskEvent event);

    default void onHealth(TaskId task, HealthTransition transition) {}

    /** One run of one of the task's checks ended after {@code took} (for metrics). */
    default void onCheck(TaskId task, io.wharf.agent.health.CheckKind kind, io.wharf.agent.health.CheckResult result,
                         java.time.Duration took) {}
}
