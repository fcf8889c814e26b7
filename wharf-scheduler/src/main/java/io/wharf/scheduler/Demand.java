package io.wharf.scheduler;

import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.PlacementStrategy;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one instance needs: the workload it belongs to ({@code namespace/name}, for spreading),
 * resources, drivers, fixed host ports, constraints on node attributes, and how to rank.
 */
public record Demand(String workload, ComputeResources resources, Set<String> drivers, Set<Integer> hostPorts,
    List<Constraint> constraints, PlacementStrategy strategy) {
  public Demand {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(resources, "resources");
    drivers = Set.copyOf(drivers);
    hostPorts = Set.copyOf(hostPorts);
    constraints = List.copyOf(constraints);
    Objects.requireNonNull(strategy, "strategy");
  }
}
