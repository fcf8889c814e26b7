package io.wharf.model.workload;

import io.wharf.model.Frozen;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskSpec;
import java.time.Duration;
import java.util.List;

/**
 * A batch job: {@code completions} successful instances are needed, at most
 * {@code parallelism} run at once; a failed instance is retried up to {@code backoffLimit}
 * times (delays from {@code restart}); the whole job fails after {@code activeDeadline}
 * (null = no deadline). A finished job (its instances, exit codes and status) is kept for
 * {@code ttlAfterFinished} and then deleted (null = kept until deleted).
 */
public record JobSpec(List<TaskSpec> tasks, int completions, int parallelism, int backoffLimit, RestartPolicy restart,
                      Duration activeDeadline, PlacementSpec placement, List<Dependency> dependsOn,
                      Duration ttlAfterFinished) {
    public JobSpec {
        if (completions < 1 || parallelism < 1 || backoffLimit < 0) {
            throw new IllegalArgumentException("completions and parallelism must be >= 1, backoffLimit >= 0");
        }
        tasks = Frozen.list(tasks);
        if (restart == null) restart = RestartPolicy.JOB_DEFAULT;
        if (placement == null) placement = PlacementSpec.DEFAULT;
        dependsOn = Frozen.list(dependsOn);
    }

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    public JobSpec(List<TaskSpec> tasks, int completions, int parallelism, int backoffLimit, RestartPolicy restart,
                   Duration activeDeadline, PlacementSpec placement, List<Dependency> dependsOn) {
        this(tasks, completions, parallelism, backoffLimit, restart, activeDeadline, placement, dependsOn, DEFAULT_TTL);
    }

    public static JobSpec of(TaskSpec... tasks) {
        return new JobSpec(List.of(tasks), 1, 1, 3, null, null, null, List.of());
    }
}
