package io.wharf.scheduler;

import static io.wharf.scheduler.Nodes.res;

import io.wharf.scheduler.feasible.ConstraintsMet;
import io.wharf.scheduler.feasible.NodeAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tests' own bookkeeping of a cluster while placements are applied, and an independent,
 * deliberately plain statement of feasibility to check the scheduler's answers against.
 */
final class Ledger {
  final List<NodeCandidate> nodes;
  final Map<String, long[]> used = new HashMap<>();
  final Map<String, Set<Integer>> ports = new HashMap<>();
  final Map<String, Map<String, Integer>> counts = new HashMap<>();
  final Map<String, Set<String>> placedHere = new HashMap<>();
  final Map<String, String> volumesCreated = new HashMap<>();

  Ledger(ClusterSnapshot cluster) {
    this.nodes = cluster.nodes();
    for (NodeCandidate n : nodes) {
      used.put(n.name(), new long[] {n.used().cpu().millicores(), n.used().memory().bytes()});
      ports.put(n.name(), new HashSet<>(n.usedPorts()));
      counts.put(n.name(), new HashMap<>(n.instancesByWorkload()));
      placedHere.put(n.name(), new HashSet<>());
    }
  }

  NodeCandidate node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  int count(String node, String workload) {
    return counts.get(node).getOrDefault(workload, 0);
  }

  String holder(NamedVolume v) {
    return v.node() != null ? v.node() : volumesCreated.get(v.name());
  }

  /** Whether {@code node} may take one more instance of {@code d}; {@code fresh}: new placement rules apply. */
  boolean admits(String name, Demand d, boolean ignoreDistinct) {
    NodeCandidate n = node(name);
    if (!n.ready() || n.draining() || !n.eligible() || !n.drivers().containsAll(d.drivers())) {
      return false;
    }
    for (var c : d.constraints()) {
      if (!ConstraintsMet.holds(c, NodeAttributes.value(c.attribute(), n))) {
        return false;
      }
    }
    for (NamedVolume v : d.volumes()) {
      if (holder(v) != null && !holder(v).equals(name)) {
        return false;
      }
    }
    for (String c : d.conflicts()) {
      if (count(name, c) > 0) {
        return false;
      }
    }
    if (d.distinctNodes() && !ignoreDistinct && count(name, d.workload()) > 0) {
      return false;
    }
    long[] u = used.get(name);
    if (u[0] + d.resources().cpu().millicores() > n.allocatable().cpu().millicores()
        || u[1] + d.resources().memory().bytes() > n.allocatable().memory().bytes()) {
      return false;
    }
    for (int p : d.hostPorts()) {
      if (ports.get(name).contains(p)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The node a full scan would choose for {@code d} now: bin-pack the highest utilization with the
   * instance placed, spread the lowest (instances in the node's value group, instances on the node,
   * utilization); ties to the first name. Utilization is computed exactly as the scheduler does, so
   * ties compare equal on both sides.
   */
  String best(Demand d) {
    String best = null;
    double[] bestKey = null;
    for (NodeCandidate n : nodes) {
      if (!admits(n.name(), d, false)) {
        continue;
      }
      double[] key = key(n, d);
      if (bestKey == null || java.util.Arrays.compare(key, bestKey) < 0) {
        best = n.name();
        bestKey = key;
      }
    }
    return best;
  }

  private double[] key(NodeCandidate n, Demand d) {
    long[] u = used.get(n.name());
    long allocCpu = n.allocatable().cpu().millicores();
    long allocMemory = n.allocatable().memory().bytes();
    double c = allocCpu <= 0 ? 1 : (u[0] + d.resources().cpu().millicores()) * (1.0 / allocCpu);
    double m = allocMemory <= 0 ? 1 : (u[1] + d.resources().memory().bytes()) * (1.0 / allocMemory);
    double utilization = (c + m) * 0.5;
    if (d.strategy() == io.wharf.model.workload.PlacementStrategy.BINPACK) {
      return new double[] {-utilization};
    }
    int group = 0;
    if (d.spreadOver() != null) {
      String value = NodeAttributes.value(d.spreadOver(), n);
      for (NodeCandidate other : nodes) {
        if (java.util.Objects.equals(value, NodeAttributes.value(d.spreadOver(), other))) {
          group += count(other.name(), d.workload());
        }
      }
    }
    return new double[] {group, count(n.name(), d.workload()), utilization};
  }

  void apply(String name, Demand d) {
    apply(name, d, true);
  }

  /** A global service's instance does not pin a volume no node holds yet: each node gets its own. */
  void apply(String name, Demand d, boolean pinsVolumes) {
    long[] u = used.get(name);
    u[0] += d.resources().cpu().millicores();
    u[1] += d.resources().memory().bytes();
    ports.get(name).addAll(d.hostPorts());
    counts.get(name).merge(d.workload(), 1, Integer::sum);
    placedHere.get(name).add(d.workload());
    for (NamedVolume v : d.volumes()) {
      if (pinsVolumes && holder(v) == null) {
        volumesCreated.put(v.name(), name);
      }
    }
  }

  /** The cluster as it now stands, for the single-placement path. */
  ClusterSnapshot snapshot() {
    List<NodeCandidate> now = new ArrayList<>();
    for (NodeCandidate n : nodes) {
      long[] u = used.get(n.name());
      now.add(new NodeCandidate(n.name(), n.address(), n.ready(), n.draining(), n.eligible(), n.labels(), n.drivers(),
          n.allocatable(), res(0, 0).plus(new io.wharf.model.quantity.ComputeResources(
              new io.wharf.model.quantity.Cpu(u[0]), new io.wharf.model.quantity.ByteSize(u[1]))),
          ports.get(n.name()), counts.get(n.name())));
    }
    return new ClusterSnapshot(now);
  }
}
