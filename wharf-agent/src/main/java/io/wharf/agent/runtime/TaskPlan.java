package io.wharf.agent.runtime;

import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.health.CheckSettings;
import io.wharf.agent.restart.RestartPolicy;
import io.wharf.model.task.TaskLifecycle;
import java.util.List;
import java.util.Objects;

/** One task as a runner runs it: what to start, when in its instance, how to restart and check it. */
public record TaskPlan(TaskConfig config, TaskLifecycle lifecycle, RestartPolicy restart, List<CheckSettings> checks) {
    public TaskPlan {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(restart, "restart");
        checks = List.copyOf(checks == null ? List.of() : checks);
    }

    public static TaskPlan main(TaskConfig config, RestartPolicy restart) {
        return new TaskPlan(config, TaskLifecycle.MAIN, restart, List.of());
    }

    public TaskPlan withChecks(List<CheckSettings> c) { return new TaskPlan(config, lifecycle, restart, c); }

    public TaskPlan withLifecycle(TaskLifecycle l) { return new TaskPlan(config, l, restart, checks); }
}
