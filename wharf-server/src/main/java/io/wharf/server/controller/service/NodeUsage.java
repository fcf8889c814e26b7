package io.wharf.server.controller.service;

import io.wharf.model.Instance;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import io.wharf.server.controller.ClusterCache;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceType;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the instances of every node hold — resources, host ports, instance counts per workload —
 * kept up to date from the cluster cache's changes, so a placement's inputs cost O(nodes) rather
 * than a rescan of every instance in the cluster on every service pass. The same rules as a
 * from-scratch count ({@link #of}): host ports of every instance but ended job instances
 * ({@link PlacementInputs#holdsPorts}); resources of those not terminal
 * ({@link PlacementInputs#holdsResources}); counts of those not lost nor ended job instances.
 *
 * <p>Thread safety: changes ({@link #apply}, on the cache's delivery thread, before the cache
 * advances its revision) and reads ({@link #read}) take one lock. A node's {@link View} is
 * immutable and rebuilt only when that node changed since the last read.
 */
final class NodeUsage {
  /** What one node's instances hold. Immutable. */
  record View(ComputeResources used, Set<Integer> ports, Map<String, Integer> workloads) {
    static final View EMPTY = new View(ComputeResources.NONE, Set.of(), Map.of());

    View {
      ports = Set.copyOf(ports);
      workloads = Map.copyOf(workloads);
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  /** The instances counted, by store key; guarded by {@code lock}. */
  private final Map<String, Instance> counted = new HashMap<>();
  /** Per node; guarded by {@code lock}. */
  private final Map<String, Tally> nodes = new HashMap<>();

  /** A from-scratch count of {@code instances} (no index kept afterwards). */
  static Map<String, View> of(Collection<Instance> instances) {
    Map<String, Tally> tallies = new HashMap<>();
    for (Instance i : instances) {
      tallies.computeIfAbsent(i.spec().node(), n -> new Tally()).add(i, 1);
    }
    Map<String, View> out = new HashMap<>();
    tallies.forEach((node, t) -> out.put(node, t.view()));
    return out;
  }

  /** Follows one change of the cluster cache (register with {@code ClusterCache.onChange} before it starts). */
  void apply(ClusterCache.Change change) {
    boolean before = change.before() != null && change.before().resource() instanceof Instance;
    boolean after = change.after() != null && change.after().resource() instanceof Instance;
    if (!before && !after) {
      return;
    }
    lock.lock();
    try {
      Instance old = counted.remove(change.key());
      if (old != null) {
        tally(old).add(old, -1);
      }
      if (after) {
        Instance now = (Instance) change.after().resource();
        counted.put(change.key(), now);
        tally(now).add(now, 1);
      }
      if (old != null) {
        Tally t = nodes.get(old.spec().node());
        if (t != null && t.instances == 0) {
          nodes.remove(old.spec().node());
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private Tally tally(Instance i) {
    return nodes.computeIfAbsent(i.spec().node(), n -> new Tally());
  }

  /**
   * Every node's usage as the index shows it now, plus {@code overlay}: instances committed but
   * perhaps not seen by the cache yet — each is added unless the index already counts it (by
   * namespace and name), compared atomically with what is read. Nodes without instances are absent.
   */
  Map<String, View> read(List<Instance> overlay) {
    lock.lock();
    try {
      Map<String, Tally> extra = new HashMap<>();
      for (Instance i : overlay) {
        if (!counted.containsKey(ResourceKeys.key(ResourceType.INSTANCE, i.metadata().namespace(),
            i.metadata().name()))) {
          extra.computeIfAbsent(i.spec().node(), n -> new Tally()).add(i, 1);
        }
      }
      Map<String, View> out = HashMap.newHashMap(nodes.size() + extra.size());
      nodes.forEach((node, t) -> out.put(node, t.view()));
      extra.forEach((node, e) -> {
        Tally t = nodes.get(node);
        out.put(node, t == null ? e.view() : t.plus(e).view());
      });
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** One node's running totals; not thread-safe (guarded by its owner). */
  private static final class Tally {
    int instances;
    long cpu;
    long memory;
    final Map<Integer, Integer> ports = new HashMap<>(); // port → instances holding it
    final Map<String, Integer> workloads = new HashMap<>();
    View view; // null when changed since built

    void add(Instance i, int sign) {
      view = null;
      instances += sign;
      if (PlacementInputs.holdsPorts(i)) {
        for (int port : i.spec().assignedPorts().values()) {
          ports.merge(port, sign, (a, b) -> a + b == 0 ? null : a + b);
        }
      }
      if (PlacementInputs.holdsResources(i)) {
        ComputeResources r = PlacementInputs.resources(i.spec().tasks());
        cpu += sign * r.cpu().millicores();
        memory += sign * r.memory().bytes();
      }
      if (!InstanceGroups.isLost(i) && PlacementInputs.holdsPorts(i)) {
        var owner = i.spec().owner();
        workloads.merge(PlacementInputs.workload(owner.namespace(), owner.name()), sign,
            (a, b) -> a + b == 0 ? null : a + b);
      }
    }

    Tally plus(Tally o) {
      Tally sum = new Tally();
      sum.instances = instances + o.instances;
      sum.cpu = cpu + o.cpu;
      sum.memory = memory + o.memory;
      sum.ports.putAll(ports);
      o.ports.forEach((p, n) -> sum.ports.merge(p, n, Integer::sum));
      sum.workloads.putAll(workloads);
      o.workloads.forEach((w, n) -> sum.workloads.merge(w, n, Integer::sum));
      return sum;
    }

    View view() {
      if (view == null) {
        view = new View(cpu == 0 && memory == 0 ? ComputeResources.NONE
            : new ComputeResources(new Cpu(cpu), new ByteSize(memory)), ports.keySet(), workloads);
      }
      return view;
    }
  }
}
