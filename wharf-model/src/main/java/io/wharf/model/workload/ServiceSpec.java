package io.wharf.model.workload;

import io.wharf.model.Frozen;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskSpec;
import java.util.List;
import java.util.Optional;

/**
 * What a service wants: {@code replicas} instances, each running {@code tasks} (exactly one
 * main), restarted by {@code restart}, updated by {@code update}, placed by {@code placement},
 * started after {@code dependsOn}, optionally {@code autoscale}d (null = fixed replicas).
 */
public record ServiceSpec(int replicas, List<TaskSpec> tasks, RestartPolicy restart, UpdateSpec update,
                          PlacementSpec placement, List<Dependency> dependsOn, AutoscaleSpec autoscale) {
    public ServiceSpec {
        if (replicas < 0) throw new IllegalArgumentException("replicas must be >= 0, got " + replicas);
        tasks = Frozen.list(tasks);
        if (restart == null) restart = RestartPolicy.SERVICE_DEFAULT;
        if (update == null) update = UpdateSpec.DEFAULT;
        if (placement == null) placement = PlacementSpec.DEFAULT;
        dependsOn = Frozen.list(dependsOn);
    }

    public static ServiceSpec of(int replicas, TaskSpec... tasks) {
        return new ServiceSpec(replicas, List.of(tasks), null, null, null, List.of(), null);
    }

    /** The main task (validation guarantees there is exactly one in decoded specs). */
    public Optional<TaskSpec> mainTask() {
        return tasks.stream().filter(t -> t.lifecycle() == io.wharf.model.task.TaskLifecycle.MAIN).findFirst();
    }

    public ServiceSpec withReplicas(int n) {
        return new ServiceSpec(n, tasks, restart, update, placement, dependsOn, autoscale);
    }

    public ServiceSpec withTasks(List<TaskSpec> t) {
        return new ServiceSpec(replicas, t, restart, update, placement, dependsOn, autoscale);
    }
}
