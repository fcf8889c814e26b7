package io.wharf.agent.node;

import io.wharf.client.AgentApi;
import io.wharf.client.WharfClient;
import io.wharf.model.Node;
import java.time.Duration;

/**
 * The node's conversations with the server, started and stopped together: liveness
 * (register, heartbeat) and assignments (list and watch of the node's instances). A changed config
 * or secret reaches the node as new instances (the service's rollout), never as a restart here.
 */
public final class NodeRuntime implements AutoCloseable {
    private final NodeLiveness liveness;
    private final Assignments assignments;
    private NodeRuntime(NodeLiveness liveness, Assignments assignments) {
        this.liveness = liveness;
        this.assignments = assignments;
    }

    public static NodeRuntime start(WharfClient client, AgentApi api, Node node, Duration heartbeat,
                                    InstanceSupervisor supervisor) {
        var liveness = new NodeLiveness(api, () -> node, heartbeat);
        var assignments = new Assignments(client, api, node.metadata().name(), supervisor);
        return new NodeRuntime(liveness, assignments);
    }

    public boolean registered() { return liveness.registered(); }

    @Override
    public void close() {
        assignments.close();
        liveness.close();
    }
}
