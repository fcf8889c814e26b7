package io.wharf.model.cluster;

import io.wharf.model.Frozen;
import io.wharf.model.ResourceRef;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One placement: the owning Service or Job ({@code owner}) at spec revision
 * {@code ownerRevision}, the node it runs on, the tasks copied from the owner at placement, and
 * the host ports assigned to the tasks' port names ({@code assignedPorts}) (dynamic ports resolved),
 * and the owner's {@code restart} policy copied at placement, so the agent need not read the owner.
 * {@code restart} is null for instances placed before it was copied: the agent then reads the owner's.
 * {@code inputs} pins the configs and secrets the tasks read ({@code config/NAME} or
 * {@code secret/NAME} to a stored revision, from the service's template); one not named is read
 * as it is now (jobs, instances placed before inputs were pinned).
 */
public record InstanceSpec(ResourceRef owner, long ownerRevision, String node, List<TaskSpec> tasks,
                           Map<String, Integer> assignedPorts, RestartPolicy restart, Map<String, Long> inputs) {
    public InstanceSpec {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(node, "node");
        tasks = Frozen.list(tasks);
        assignedPorts = Frozen.map(assignedPorts);
        inputs = Frozen.map(inputs == null ? Map.of() : inputs);
    }

    public InstanceSpec(ResourceRef owner, long ownerRevision, String node, List<TaskSpec> tasks,
                        Map<String, Integer> assignedPorts, RestartPolicy restart) {
        this(owner, ownerRevision, node, tasks, assignedPorts, restart, Map.of());
    }

    /** An instance spec without a copied restart policy (the owner's applies). */
    public InstanceSpec(ResourceRef owner, long ownerRevision, String node, List<TaskSpec> tasks,
                        Map<String, Integer> assignedPorts) {
        this(owner, ownerRevision, node, tasks, assignedPorts, null);
    }

    public InstanceSpec withRestart(RestartPolicy r) {
        return new InstanceSpec(owner, ownerRevision, node, tasks, assignedPorts, r, inputs);
    }
}
