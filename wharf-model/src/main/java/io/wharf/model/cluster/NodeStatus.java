package io.wharf.model.cluster;

import io.wharf.model.Frozen;
import io.wharf.model.quantity.ComputeResources;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the node's agent reports: the address instances are reached at, total
 * {@code capacity} and {@code allocatable} (capacity minus the agent's reserve), the drivers
 * that fingerprinted OK, the labels from the agent's configuration (placement constraints
 * see these merged with metadata.labels), its state, the last heartbeat, the base URL of
 * the agent's own HTTP endpoint ({@code agentAddress}) the server proxies logs and exec to, and
 * the ports of the dynamic range ({@link DynamicPorts}) that something other than Wharf's
 * instances holds on the node ({@code portsInUse}, ascending), which the scheduler does not hand out there.
 */
public record NodeStatus(String address, ComputeResources capacity, ComputeResources allocatable, List<String> drivers,
                         Map<String, String> labels, NodeState state, Instant lastHeartbeat,
                         String agentAddress, List<Integer> portsInUse) {
    public static final NodeStatus EMPTY = new NodeStatus(null, ComputeResources.NONE, ComputeResources.NONE,
            List.of(), Map.of(), NodeState.DOWN, null, null);

    public NodeStatus {
        if (capacity == null) capacity = ComputeResources.NONE;
        if (allocatable == null) allocatable = ComputeResources.NONE;
        drivers = Frozen.list(drivers);
        labels = Frozen.map(labels);
        if (state == null) state = NodeState.DOWN;
        portsInUse = Frozen.list(portsInUse);
    }

    /** A status without ports in use. */
    public NodeStatus(String address, ComputeResources capacity, ComputeResources allocatable, List<String> drivers,
                      Map<String, String> labels, NodeState state, Instant lastHeartbeat, String agentAddress) {
        this(address, capacity, allocatable, drivers, labels, state, lastHeartbeat, agentAddress, List.of());
    }

    /** The same status with {@code ports} (ascending) as the ports in use. */
    public NodeStatus withPortsInUse(List<Integer> ports) {
        return new NodeStatus(address, capacity, allocatable, drivers, labels, state, lastHeartbeat, agentAddress, ports);
    }
}
