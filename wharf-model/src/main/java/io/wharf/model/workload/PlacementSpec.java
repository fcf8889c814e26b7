package io.wharf.model.workload;

import io.wharf.model.Frozen;
import java.util.List;
import java.util.Objects;

/**
 * Where instances may go: hard {@code constraints} on node attributes; ranking by
 * {@code strategy}; {@code spreadOver} = with {@code spread}, the node attribute whose values
 * instances are spread across (e.g. {@code node.labels.zone}; null = spread across nodes);
 * {@code global} = one instance per feasible node (replicas ignored);
 * {@code distinctNodes} = never two instances of this workload on one node (anti-affinity);
 * {@code conflicts} = services in the same stack whose instances must not share a node;
 * {@code rebalance} = when a node joins, move instances onto it to restore the spread
 * (at the update's parallelism).
 */
public record PlacementSpec(List<Constraint> constraints, PlacementStrategy strategy, boolean global,
                            boolean distinctNodes, List<String> conflicts, String spreadOver, boolean rebalance) {
    public static final PlacementSpec DEFAULT = new PlacementSpec(List.of(), PlacementStrategy.BINPACK, false, false, List.of());

    public PlacementSpec {
        constraints = Frozen.list(constraints);
        Objects.requireNonNull(strategy, "strategy");
        conflicts = Frozen.list(conflicts);
    }

    public PlacementSpec(List<Constraint> constraints, PlacementStrategy strategy, boolean global,
                         boolean distinctNodes, List<String> conflicts) {
        this(constraints, strategy, global, distinctNodes, conflicts, null, false);
    }
}
