package io.wharf.scheduler;

import io.wharf.model.quantity.ComputeResources;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One node as the scheduler sees it: whether it takes work ({@code ready} and not
 * {@code draining}), its labels (metadata labels merged with the agent's), drivers, allocatable
 * resources, what its instances already use (resources and host ports), and how many instances
 * it runs in all and of each workload.
 */
public record NodeCandidate(String name, boolean ready, boolean draining, Map<String, String> labels,
    Set<String> drivers, ComputeResources allocatable, ComputeResources used, Set<Integer> usedPorts,
    Map<String, Integer> instancesByWorkload) {
  public NodeCandidate {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    drivers = Set.copyOf(drivers);
    Objects.requireNonNull(allocatable, "allocatable");
    Objects.requireNonNull(used, "used");
    usedPorts = Set.copyOf(usedPorts);
    instancesByWorkload = Map.copyOf(instancesByWorkload);
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
