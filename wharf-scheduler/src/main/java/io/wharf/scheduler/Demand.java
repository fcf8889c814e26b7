package io.wharf.scheduler;

import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.PlacementStrategy;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one instance of a workload needs, and how to rank nodes for it.
 *
 * <ul>
 *   <li>{@code workload}: the owner's id ({@code namespace/name}); instance counts, spread,
 *       distinct nodes and conflicts are keyed by it (see {@link NodeCandidate#instancesByWorkload()}).
 *   <li>{@code resources}, {@code drivers}, {@code hostPorts}: cpu/memory of one instance, the drivers
 *       its tasks use, its fixed host ports (dynamic ports are the caller's business).
 *   <li>{@code constraints}: hard rules on {@code node.name}, {@code node.address},
 *       {@code node.labels.<key>}.
 *   <li>{@code strategy}, {@code spreadOver}: bin-pack, or spread (over the values of a node
 *       attribute such as {@code node.labels.zone} when {@code spreadOver} is set, else over nodes).
 *   <li>{@code distinctNodes}: at most one instance of this workload per node.
 *   <li>{@code conflicts}: workload ids whose instances must not share a node with this one. The
 *       caller passes both directions (workloads this one names and workloads that name this one),
 *       see {@link #conflictsOf}, so a conflict declared on either side holds.
 *   <li>{@code volumes}: named volumes the instance mounts and which node holds each.
 * </ul>
 */
public record Demand(String workload, ComputeResources resources, Set<String> drivers, Set<Integer> hostPorts,
    List<Constraint> constraints, PlacementStrategy strategy, String spreadOver, boolean distinctNodes,
    Set<String> conflicts, List<NamedVolume> volumes) {
  public Demand {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(resources, "resources");
    drivers = Set.copyOf(drivers);
    hostPorts = Set.copyOf(hostPorts);
    constraints = List.copyOf(constraints);
    Objects.requireNonNull(strategy, "strategy");
    conflicts = Set.copyOf(conflicts);
    if (conflicts.contains(workload)) {
      throw new IllegalArgumentException(workload + " cannot conflict with itself (that is distinctNodes)");
    }
    volumes = List.copyOf(volumes);
  }

  /** The original shape: no spread attribute, distinct nodes, conflicts or volumes. */
  public Demand(String workload, ComputeResources resources, Set<String> drivers, Set<Integer> hostPorts,
      List<Constraint> constraints, PlacementStrategy strategy) {
    this(workload, resources, drivers, hostPorts, constraints, strategy, null, false, Set.of(), List.of());
  }

  /** A bin-packed demand with nothing but resources; refine it with the {@code with…} methods. */
  public static Demand of(String workload, ComputeResources resources) {
    return new Demand(workload, resources, Set.of(), Set.of(), List.of(), PlacementStrategy.BINPACK);
  }

  public Demand withDrivers(Set<String> drivers) {
    return new Demand(workload, resources, drivers, hostPorts, constraints, strategy, spreadOver, distinctNodes,
        conflicts, volumes);
  }

  public Demand withHostPorts(Set<Integer> hostPorts) {
    return new Demand(workload, resources, drivers, hostPorts, constraints, strategy, spreadOver, distinctNodes,
        conflicts, volumes);
  }

  public Demand withConstraints(List<Constraint> constraints) {
    return new Demand(workload, resources, drivers, hostPorts, constraints, strategy, spreadOver, distinctNodes,
        conflicts, volumes);
  }

  /** Bin-pack, or spread over nodes. */
  public Demand withStrategy(PlacementStrategy strategy) {
    return new Demand(workload, resources, drivers, hostPorts, constraints, strategy, spreadOver, distinctNodes,
        conflicts, volumes);
  }

  /** Spread over the values of {@code attribute} (e.g. {@code node.labels.zone}). */
  public Demand spreadOver(String attribute) {
    return new Demand(workload, resources, drivers, hostPorts, constraints, PlacementStrategy.SPREAD, attribute,
        distinctNodes, conflicts, volumes);
  }

  public Demand withDistinctNodes(boolean distinctNodes) {
    return new Demand(workload, resources, drivers, hostPorts, constraints, strategy, spreadOver, distinctNodes,
        conflicts, volumes);
  }

  public Demand withConflicts(Set<String> conflicts) {
    return new Demand(workload, resources, drivers, hostPorts, constraints, strategy, spreadOver, distinctNodes,
        conflicts, volumes);
  }

  public Demand withVolumes(List<NamedVolume> volumes) {
    return new Demand(workload, resources, drivers, hostPorts, constraints, strategy, spreadOver, distinctNodes,
        conflicts, volumes);
  }

  /**
   * The conflicts of {@code workload} in both directions, given what each workload declares
   * ({@code declared}: workload id → workload ids it conflicts with).
   */
  public static Set<String> conflictsOf(String workload, Map<String, ? extends Collection<String>> declared) {
    Set<String> all = new TreeSet<>();
    Collection<String> own = declared.get(workload);
    if (own != null) {
      all.addAll(own);
    }
    declared.forEach((other, theirs) -> {
      if (theirs.contains(workload)) {
        all.add(other);
      }
    });
    all.remove(workload);
    return all;
  }
}
