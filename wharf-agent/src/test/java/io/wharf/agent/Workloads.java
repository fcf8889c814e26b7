package io.wharf.agent;

import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.ResourceRef;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import java.util.List;
import java.util.Map;

/** Instances made by hand (as the service controller would) and a view of the processes they run. */
public final class Workloads {
    private Workloads() {}

    /** A service of {@code replicas} whose main task runs {@code sh -c script} with {@code ports}. */
    public static io.wharf.model.Service service(String name, int replicas, String script, io.wharf.model.task.PortSpec... ports) {
        var task = TaskSpec.main("main", new ProcessDriver(List.of("sh", "-c", script), List.of(), null))
                .withPorts(List.of(ports));
        return new io.wharf.model.Service(Metadata.of(name, "default"), io.wharf.model.workload.ServiceSpec.of(replicas, task));
    }

    /** An instance of service {@code service} on {@code node} whose main task runs {@code sh -c script}. */
    public static Instance shell(String name, String service, String node, String script, Map<String, Integer> ports) {
        var task = TaskSpec.main("main", new ProcessDriver(List.of("sh", "-c", script), List.of(), null));
        return new Instance(Metadata.of(name, "default"),
                new InstanceSpec(new ResourceRef(Kind.SERVICE, "default", service), 1, node, List.of(task), ports));
    }

    /**
     * Pids of the task processes whose command line holds {@code marker}, not counting the process
     * driver's wrapper shells (which carry the task's command line as arguments).
     */
    public static List<Long> pidsWith(String marker) {
        return io.wharf.testkit.proc.MarkedProcesses.pids(marker);
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
