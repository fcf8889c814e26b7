package io.wharf.model.schema;

import io.wharf.model.Kind;
import io.wharf.model.ResourceRef;
import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.cluster.NodeSpec;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.cluster.NodeStatus;
import io.wharf.model.document.Fields;
import io.wharf.model.document.Paths;
import io.wharf.model.document.Scalars;
import io.wharf.model.document.Tree;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.validation.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nodes and instances: specs and the statuses agents report. */
public final class ClusterSchema {
    private ClusterSchema() {}

    public static NodeSpec nodeSpec(Fields f) {
        return new NodeSpec(f.bool("drain", false), f.bool("eligible", true));
    }

    public static NodeStatus nodeStatus(Fields f) {
        NodeStatus s = new NodeStatus(f.string("address"), compute(f, "capacity"), compute(f, "allocatable"),
                f.strings("drivers"), MetaSchema.labels(f, "labels"), f.choice("state", NodeState.class, NodeState.DOWN),
                f.instant("lastHeartbeat"), f.string("agentAddress"),
                f.list("portsInUse", (t, path) -> Scalars.integer(t, path, f.problems(), 1, 65535)));
        if (s.drivers().stream().anyMatch(d -> !DriverSchema.DRIVERS.contains(d))) {
            f.problem("drivers", "unknown driver (use process, docker, java)");
        }
        return s;
    }

    private static ComputeResources compute(Fields parent, String key) {
        if (!parent.has(key)) return ComputeResources.NONE;
        Fields f = Fields.of(parent.take(key), parent.path(key), parent.problems());
        ComputeResources r = new ComputeResources(f.cpu("cpu", ComputeResources.NONE.cpu()), f.size("memory", ComputeResources.NONE.memory()));
        f.finish();
        return r;
    }

    /** Instance spec: owner, owner revision, node, the tasks as placed, assigned host ports, restart policy (optional). */
    public static InstanceSpec instanceSpec(Fields f) {
        ResourceRef owner = MetaSchema.ref(f, "owner");
        if (owner != null && owner.kind() != Kind.SERVICE && owner.kind() != Kind.JOB) {
            f.problem("owner.kind", "must be Service or Job, got " + owner.kind().displayName());
        }
        long ownerRevision = f.longInteger("ownerRevision", 0, 0);
        String node = f.required("node");
        if (node != null) Names.nodeNameProblem(node).ifPresent(bad -> f.problem("node", bad));
        List<TaskSpec> tasks = f.has("tasks") ? TaskSchema.readTasks(f, owner == null ? "main" : owner.name()) : List.of();
        if (!f.has("tasks")) f.problem("tasks", "is required");
        Map<String, Integer> ports = new LinkedHashMap<>();
        Tree pt = f.take("assignedPorts");
        if (pt instanceof Tree.Mapping m) {
            m.entries().forEach((k, v) -> {
                Integer n = Scalars.integer(v, Paths.field(f.path("assignedPorts"), k), f.problems(), 1, 65535);
                if (n != null) ports.put(k, n);
            });
        } else if (pt != null) f.problem("assignedPorts", "must be a mapping of port name to port number, got " + pt.describe());
        boolean job = owner != null && owner.kind() == Kind.JOB;
        RestartPolicy restart = f.has("restart")
                ? WorkloadSchema.restart(f, job ? RestartPolicy.JOB_DEFAULT : RestartPolicy.SERVICE_DEFAULT, job) : null;
        if (owner == null || node == null) return null;
        return new InstanceSpec(owner, ownerRevision, node, tasks, ports, restart);
    }

    public static InstanceStatus instanceStatus(Fields f) {
        return new InstanceStatus(f.choice("state", InstanceState.class, InstanceState.PENDING),
                f.choice("health", Health.class, Health.UNKNOWN), f.integer("restarts", 0, 0, Integer.MAX_VALUE),
                f.optionalInteger("exitCode", Integer.MIN_VALUE, Integer.MAX_VALUE), f.string("exitReason"), f.string("address"),
                f.instant("startedAt"), f.instant("finishedAt"), f.string("waitingReason"));
    }
}
