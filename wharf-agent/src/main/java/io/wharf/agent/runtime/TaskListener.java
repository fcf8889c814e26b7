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
}
