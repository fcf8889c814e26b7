package io.wharf.server.controller.service;

import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import io.wharf.scheduler.ClusterSnapshot;
import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns model objects into the scheduler's inputs, and assigns host ports. Pure functions of
 * what it is given (the cache's nodes and instances, plus instances placed earlier in the same
 * reconcile).
 */
final class PlacementInputs {
  private PlacementInputs() {}

  /** The range dynamic ports (port 0) are taken from, per node. */
  record PortRange(int first, int last) {
    static final PortRange DEFAULT = new PortRange(20000, 32000);

    PortRange {
      if (first < 1 || last > 65535 || first > last) {
        throw new IllegalArgumentException("bad port range " + first + "-" + last);
      }
    }
  }

  static String workload(String namespace, String name) {
    return namespace + "/" + name;
  }

  static boolean ownedBy(Instance i, String namespace, String name) {
    var owner = i.spec().owner();
    return owner.kind() == Kind.SERVICE && namespace.equals(owner.namespace()) && name.equals(owner.name());
  }

  /** What one instance runs with: main and sidecars together (prestart and poststop run apart). */
  static ComputeResources resources(List<TaskSpec> tasks) {
    ComputeResources sum = ComputeResources.NONE;
    for (TaskSpec t : tasks) {
      if (t.lifecycle() == TaskLifecycle.MAIN || t.lifecycle() == TaskLifecycle.SIDECAR) {
        sum = sum.plus(t.resources());
      }
    }
    return sum;
  }

  /** The fixed host port of a port spec, or 0 when it is dynamic. */
  static int fixedHostPort(PortSpec p) {
    return p.hostPort() != 0 ? p.hostPort() : p.port();
  }

  static Demand demand(Service s) {
    Set<String> drivers = new TreeSet<>();
    Set<Integer> ports = new TreeSet<>();
    for (TaskSpec t : s.spec().tasks()) {
      drivers.add(t.driver().driverName());
      for (PortSpec p : t.ports()) {
        if (fixedHostPort(p) != 0) {
          ports.add(fixedHostPort(p));
        }
      }
    }
    return new Demand(workload(s.metadata().namespace(), s.metadata().name()), resources(s.spec().tasks()), drivers,
        ports, s.spec().placement().constraints(), s.spec().placement().strategy());
  }

  /** Instances that hold resources on their node: every one not yet terminal. */
  static boolean holdsResources(Instance i) {
    return !i.status().state().terminal();
  }

  static ClusterSnapshot snapshot(List<Node> nodes, List<Instance> instances) {
    Map<String, ComputeResources> used = new HashMap<>();
    Map<String, Set<Integer>> ports = new HashMap<>();
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    for (Instance i : instances) {
      String node = i.spec().node();
      ports.computeIfAbsent(node, n -> new HashSet<>()).addAll(i.spec().assignedPorts().values());
      if (holdsResources(i)) {
        used.merge(node, resources(i.spec().tasks()), ComputeResources::plus);
      }
      var owner = i.spec().owner();
      counts.computeIfAbsent(node, n -> new HashMap<>()).merge(workload(owner.namespace(), owner.name()), 1,
          Integer::sum);
    }
    return new ClusterSnapshot(nodes.stream().map(n -> {
      String name = n.metadata().name();
      Map<String, String> labels = new HashMap<>(n.status().labels());
      labels.putAll(n.metadata().labels());
      ComputeResources allocatable = n.status().allocatable().equals(ComputeResources.NONE)
          ? n.status().capacity() : n.status().allocatable();
      return new NodeCandidate(name, n.status().state() == NodeState.READY,
          n.spec().drain() || n.status().state() == NodeState.DRAINING, labels, new HashSet<>(n.status().drivers()),
          allocatable, used.getOrDefault(name, ComputeResources.NONE), ports.getOrDefault(name, Set.of()),
          counts.getOrDefault(name, Map.of()));
    }).toList());
  }

  /**
   * Host ports for the tasks' named ports on {@code node}: fixed ones as given, dynamic ones the
   * lowest free port of {@code range} not used by another instance there. Empty when the range
   * is exhausted.
   */
  static Optional<Map<String, Integer>> assignPorts(List<TaskSpec> tasks, String node, List<Instance> instances,
      PortRange range) {
    Set<Integer> taken = new HashSet<>();
    for (Instance i : instances) {
      if (i.spec().node().equals(node)) {
        taken.addAll(i.spec().assignedPorts().values());
      }
    }
    Map<String, Integer> assigned = new LinkedHashMap<>();
    for (TaskSpec t : tasks) {
      for (PortSpec p : t.ports()) {
        int fixed = fixedHostPort(p);
        if (fixed != 0) {
          assigned.putIfAbsent(p.name(), fixed);
          taken.add(fixed);
        }
      }
    }
    int next = range.first();
    for (TaskSpec t : tasks) {
      for (PortSpec p : t.ports()) {
        if (fixedHostPort(p) != 0 || assigned.containsKey(p.name())) {
          continue;
        }
        while (next <= range.last() && taken.contains(next)) {
          next++;
        }
        if (next > range.last()) {
          return Optional.empty();
        }
        assigned.put(p.name(), next);
        taken.add(next);
      }
    }
    return Optional.of(assigned);
  }
}
