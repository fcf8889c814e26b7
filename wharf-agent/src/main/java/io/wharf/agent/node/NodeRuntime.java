package io.wharf.agent.node;

import io.wharf.agent.config.ConfigWatch;
import io.wharf.client.AgentApi;
import io.wharf.client.WharfClient;
import io.wharf.model.Node;
import java.time.Duration;

/**
 * The node's conversations with the server, started and stopped together: liveness
 * (register, heartbeat), assignments (list and watch of the node's instances) and the changes of
 * configs and secrets its instances take.
 */
public final class NodeRuntime implements AutoCloseable {
    private final NodeLiveness liveness;
    private final Assignments assignments;
    private final ConfigWatch configs;

    private NodeRuntime(NodeLiveness liveness, Assignments assignments, ConfigWatch configs) {
        this.liveness = liveness;
        this.assignments = assignments;
        this.configs = configs;
    }

    public static NodeRuntime start(WharfClient client, AgentApi api, Node node, Duration heartbeat,
                                    InstanceSupervisor supervisor) {
        HostPorts ports = supervisor.hostPorts();
        var liveness = new NodeLiveness(api, () -> new Node(node.metadata(), node.spec(),
                node.status().withPortsInUse(ports.inUse())), heartbeat);
        ports.publishWith(liveness::publishNow);
        var assignments = new Assignments(client, api, node.metadata().name(), supervisor);
        return new NodeRuntime(liveness, assignments, new ConfigWatch(client, supervisor));
    }

    public boolean registered() { return liveness.registered(); }

    @Override
    public void close() {
        configs.close();
        assignments.close();
        liveness.close();
    }
}
