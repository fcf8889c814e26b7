package io.wharf.model.workload;

import io.wharf.model.Frozen;
import java.util.List;
import java.util.Objects;

/**
 * Where instances may go: hard {@code constraints} on node attributes; ranking by
 * {@code strategy}; {@code global} = one instance per feasible node (replicas ignored);
 * {@code distinctNodes} = never two instances of this workload on one node (anti-affinity);
 * {@code conflicts} = services in the same stack whose instances must not share a node.
 */
public record PlacementSpec(List<Constraint> constraints, PlacementStrategy strategy, boolean global,
                            boolean distinctNodes, List<String> conflicts) {
    public static final PlacementSpec DEFAULT = new PlacementSpec(List.of(), PlacementStrategy.BINPACK, false, false, List.of());

    public PlacementSpec {
        constraints = Frozen.list(constraints);
        Objects.requireNonNull(strategy, "strategy");
        conflicts = Frozen.list(conflicts);
    }
}
