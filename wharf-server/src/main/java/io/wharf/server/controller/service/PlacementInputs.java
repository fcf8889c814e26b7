package io.wharf.server.controller.service;

import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.model.cluster.DynamicPorts;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.task.VolumeMount;
import io.wharf.scheduler.ClusterSnapshot;
import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NamedVolume;
import io.wharf.scheduler.NodeCandidate;
import java.util.ArrayList;
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
 * what it is given (the cache's nodes and what their instances hold, see {@link NodeUsage}, plus
 * instances placed earlier in the same reconcile).
 */
final class PlacementInputs {
  private PlacementInputs() {}

  /** The range dynamic ports (port 0) are taken from, per node. */
  record PortRange(int first, int last) {
    static final PortRange DEFAULT = new PortRange(DynamicPorts.FIRST, DynamicPorts.LAST);

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

  /** The demand of one instance of {@code s}, without conflicts or named volumes. */
  static Demand demand(Service s) {
    return demand(s, Map.of(), Map.of());
  }

  /**
   * The demand of one instance of {@code s}: resources, drivers, fixed host ports, constraints,
   * strategy and spread attribute, distinct nodes, {@code conflicts} (workload ids, both
   * directions) and its named volumes with the node that holds each ({@code volumeHomes}: volume
   * name → node; absent = not created yet). Volume names are passed to the scheduler as
   * {@code namespace/name}.
   */
  static Demand demand(Service s, Map<String, ? extends java.util.Collection<String>> declaredConflicts,
      Map<String, String> volumeHomes) {
    return demand(s.metadata().namespace(), s.metadata().name(), s.spec().tasks(), s.spec().placement(),
        declaredConflicts, volumeHomes);
  }

  /** {@link #demand(Service, Map, Map)} for any workload (a service or a job) by its parts. */
  static Demand demand(String ns, String name, List<TaskSpec> tasks, io.wharf.model.workload.PlacementSpec placement,
      Map<String, ? extends java.util.Collection<String>> declaredConflicts, Map<String, String> volumeHomes) {
    Set<String> drivers = new TreeSet<>();
    Set<Integer> ports = new TreeSet<>();
    Set<String> volumes = new TreeSet<>();
    for (TaskSpec t : tasks) {
      drivers.add(t.driver().driverName());
      for (PortSpec p : t.ports()) {
        if (fixedHostPort(p) != 0) {
          ports.add(fixedHostPort(p));
        }
      }
      for (VolumeMount v : t.volumes()) {
        if (v.name() != null) {
          volumes.add(v.name());
        }
      }
    }
    String workload = workload(ns, name);
    List<NamedVolume> named = volumes.stream().map(v -> new NamedVolume(ns + "/" + v, volumeHomes.get(v))).toList();
    return new Demand(workload, resources(tasks), drivers, ports, placement.constraints(),
        placement.strategy(), placement.spreadOver(), placement.distinctNodes(),
        Demand.conflictsOf(workload, declaredConflicts), named);
  }

  /** The named volumes (their names in the stack) the tasks of {@code s} mount. */
  static Set<String> namedVolumes(Service s) {
    Set<String> out = new TreeSet<>();
    s.spec().tasks().forEach(t -> t.volumes().stream().map(VolumeMount::name).filter(java.util.Objects::nonNull)
        .forEach(out::add));
    return out;
  }

  /**
   * What every service declares as conflicts, as workload ids ({@code namespace/name}; a conflict
   * names a service of the same namespace).
   */
  static Map<String, List<String>> declaredConflicts(List<Service> services) {
    Map<String, List<String>> out = new HashMap<>();
    for (Service s : services) {
      List<String> conflicts = s.spec().placement().conflicts();
      if (!conflicts.isEmpty()) {
        String ns = s.metadata().namespace();
        out.put(workload(ns, s.metadata().name()), conflicts.stream().map(c -> workload(ns, c)).toList());
      }
    }
    return out;
  }

  /** Instances that hold resources on their node: every one not yet terminal. */
  static boolean holdsResources(Instance i) {
    return !i.status().state().terminal();
  }

  /**
   * Instances that hold their host ports: every one but a job's ended instance (a service's
   * terminal instance keeps its ports, it may be run again; a job's is never run again).
   */
  static boolean holdsPorts(Instance i) {
    return i.spec().owner().kind() != Kind.JOB || !i.status().state().terminal();
  }

  static ClusterSnapshot snapshot(List<Node> nodes, List<Instance> instances) {
    return snapshot(nodes, NodeUsage.of(instances));
  }

  /** The scheduler's view of {@code nodes}, with what their instances hold from {@code usage} (by node name). */
  static ClusterSnapshot snapshot(List<Node> nodes, Map<String, NodeUsage.View> usage) {
    return new ClusterSnapshot(nodes.stream()
        .map(n -> candidate(n, usage.getOrDefault(n.metadata().name(), NodeUsage.View.EMPTY))).toList());
  }

  static NodeCandidate candidate(Node n, NodeUsage.View u) {
    Map<String, String> labels = new HashMap<>(n.status().labels());
    labels.putAll(n.metadata().labels());
    ComputeResources allocatable = n.status().allocatable().equals(ComputeResources.NONE)
        ? n.status().capacity() : n.status().allocatable();
    return new NodeCandidate(n.metadata().name(), n.status().address(), n.status().state() == NodeState.READY,
        n.spec().drain() || n.status().state() == NodeState.DRAINING, n.spec().eligible(), labels,
        new HashSet<>(n.status().drivers()), allocatable, u.used(), u.ports(), u.workloads());
  }

  /**
   * {@link #snapshot(List, Map)} that reuses each node's candidate from the previous call while
   * neither the node record nor its usage view changed (both immutable, compared by identity: the
   * cache replaces a node's record on every change, {@link NodeUsage} a node's view). Not
   * thread-safe: one owner, calls serialized.
   */
  static final class Candidates {
    private record Made(Node node, NodeUsage.View usage, NodeCandidate candidate) {}

    private Map<String, Made> made = new HashMap<>();

    ClusterSnapshot snapshot(List<Node> nodes, Map<String, NodeUsage.View> usage) {
      Map<String, Made> next = HashMap.newHashMap(nodes.size());
      List<NodeCandidate> out = new ArrayList<>(nodes.size());
      for (Node n : nodes) {
        String name = n.metadata().name();
        NodeUsage.View u = usage.getOrDefault(name, NodeUsage.View.EMPTY);
        Made m = made.get(name);
        if (m == null || m.node() != n || m.usage() != u) {
          m = new Made(n, u, candidate(n, u));
        }
        next.put(name, m);
        out.add(m.candidate());
      }
      made = next;
      return new ClusterSnapshot(out);
    }
  }

  /**
   * The host ports taken on every node, indexed once, handing out dynamic ports to a batch of
   * placements without rescanning every instance per placement: those of its instances, and those
   * its agent reports in use by something else ({@code status.portsInUse}). Not thread-safe (one pass).
   */
  static final class PortBook {
    private final Map<String, NodeUsage.View> usage;
    private final Map<String, List<Integer>> inUse = new HashMap<>();
    private final Map<String, Set<Integer>> taken = new HashMap<>();
    private final Map<String, Integer> nextFree = new HashMap<>();
    private final PortRange range;

    /** Starts from the ports {@code usage} shows taken (copied per node on first use; not kept). */
    PortBook(Map<String, NodeUsage.View> usage, PortRange range) {
      this(usage, List.of(), range);
    }

    /** As above, also keeping off the ports each of {@code nodes} reports in use. */
    PortBook(Map<String, NodeUsage.View> usage, List<Node> nodes, PortRange range) {
      this.usage = usage;
      this.range = range;
      nodes.forEach(n -> {
        if (!n.status().portsInUse().isEmpty()) {
          inUse.put(n.metadata().name(), n.status().portsInUse());
        }
      });
    }

    /** Ports for the tasks on {@code node}, now taken; empty when the range is exhausted there. */
    Optional<Map<String, Integer>> assign(List<TaskSpec> tasks, String node) {
      Set<Integer> used = taken.computeIfAbsent(node, n -> {
        Set<Integer> ports = new HashSet<>(usage.getOrDefault(n, NodeUsage.View.EMPTY).ports());
        ports.addAll(inUse.getOrDefault(n, List.of()));
        return ports;
      });
      Map<String, Integer> assigned = new LinkedHashMap<>();
      for (TaskSpec t : tasks) {
        for (PortSpec p : t.ports()) {
          int fixed = fixedHostPort(p);
          if (fixed != 0) {
            assigned.putIfAbsent(p.name(), fixed);
          }
        }
      }
      int next = nextFree.getOrDefault(node, range.first());
      for (TaskSpec t : tasks) {
        for (PortSpec p : t.ports()) {
          if (fixedHostPort(p) != 0 || assigned.containsKey(p.name())) {
            continue;
          }
          while (next <= range.last() && (used.contains(next) || assigned.containsValue(next))) {
            next++;
          }
          if (next > range.last()) {
            return Optional.empty();
          }
          assigned.put(p.name(), next);
        }
      }
      used.addAll(assigned.values());
      nextFree.put(node, next);
      return Optional.of(assigned);
    }
  }

  /**
   * Host ports for the tasks' named ports on {@code node}: fixed ones as given, dynamic ones the
   * lowest free port of {@code range} not used by another instance there. Empty when the range
   * is exhausted.
   */
  static Optional<Map<String, Integer>> assignPorts(List<TaskSpec> tasks, String node, List<Instance> instances,
      PortRange range) {
    return new PortBook(NodeUsage.of(instances), range).assign(tasks, node);
  }
}
