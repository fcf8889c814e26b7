package io.wharf.scheduler;

import io.wharf.model.quantity.ComputeResources;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One node as the scheduler sees it: name and address; whether it takes new work ({@code ready},
 * not {@code draining}, {@code eligible} — see {@link io.wharf.model.cluster.NodeSpec#schedulable()});
 * its labels (metadata labels merged with the agent's); drivers; allocatable resources; what its
 * instances already hold (resources and host ports); and how many instances of each workload
 * ({@code namespace/name}) it runs.
 */
public record NodeCandidate(String name, String address, boolean ready, boolean draining, boolean eligible,
    Map<String, String> labels, Set<String> drivers, ComputeResources allocatable, ComputeResources used,
    Set<Integer> usedPorts, Map<String, Integer> instancesByWorkload) {
  public NodeCandidate {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    drivers = Set.copyOf(drivers);
    Objects.requireNonNull(allocatable, "allocatable");
    Objects.requireNonNull(used, "used");
    usedPorts = Set.copyOf(usedPorts);
    instancesByWorkload = Map.copyOf(instancesByWorkload);
  }

  /** The original shape: no address, eligible. */
  public NodeCandidate(String name, boolean ready, boolean draining, Map<String, String> labels, Set<String> drivers,
      ComputeResources allocatable, ComputeResources used, Set<Integer> usedPorts,
      Map<String, Integer> instancesByWorkload) {
    this(name, null, ready, draining, true, labels, drivers, allocatable, used, usedPorts, instancesByWorkload);
  }

  public ComputeResources free() {
    return allocatable.minus(used);
  }

  public int instances() {
    return instancesByWorkload.values().stream().mapToInt(Integer::intValue).sum();
  }

  public int instancesOf(String workload) {
    return instancesByWorkload.getOrDefault(workload, 0);
  }
}
