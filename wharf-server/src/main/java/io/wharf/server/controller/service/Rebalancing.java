package io.wharf.server.controller.service;

import io.wharf.model.Condition;
import io.wharf.model.Instance;
import io.wharf.model.Service;
import io.wharf.model.workload.PlacementStrategy;
import io.wharf.scheduler.BatchPlan;
import io.wharf.scheduler.ClusterSnapshot;
import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import io.wharf.scheduler.Scheduler;
import io.wharf.scheduler.feasible.NodeAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which instances a rebalance moves, and where. The spread is counted per value group of
 * {@code placement.spreadOver} (one group when it is unset) and then per node within a group. A
 * move takes an instance off a node of a fuller group and asks the scheduler to place one
 * instance (spread ranking, the service's own rules) on a snapshot that already accounts the
 * moves decided before it in this pass: targets hold the moved instances' cpu, memory and host
 * ports, sources keep theirs (the old instance runs until its replacement is ready) but no longer
 * count the instance, and a source takes no moved instance. The move is kept only if it strictly
 * evens out the spread: the target's group holds at least two fewer instances than the source's,
 * or (the same group) the target node at least two fewer than the source node. So a pass never
 * undoes itself and repeated passes end. At most {@code parallelism} moves a pass.
 *
 * <p>Requested through the API (the service's {@value #CONDITION} condition turns true) or
 * always on with {@code placement.rebalance}, which makes a joining node receive instances. Pure.
 */
final class Rebalancing {
  static final String CONDITION = "Rebalance";
  /** Sources tried for one move before the pass stops (bounds a pass when targets keep failing to fit). */
  static final int SOURCES_PER_MOVE = 8;
  private static final String ABSENT = "\0absent";

  private Rebalancing() {}

  static boolean requested(Service service) {
    return service.status().conditions().stream().anyMatch(c -> c.type().equals(CONDITION) && c.status());
  }

  /** The condition a finished rebalance leaves. */
  static Condition done(Instant now, String spreadOver) {
    String message = spreadOver == null
        ? "no node runs two more instances than another eligible node"
        : "no " + spreadOver + " value runs two more instances than another eligible one, "
            + "nor a node two more than an eligible node of its value";
    return new Condition(CONDITION, false, "Balanced", message, now);
  }

  /** A move: the instance and the node its replacement goes to. */
  record Move(Instance instance, String to) {}

  /** Up to {@code parallelism} moves of the service's {@code groups}, each checked by the scheduler. */
  static List<Move> moves(Scheduler scheduler, ClusterSnapshot snapshot, Demand demand, InstanceGroups groups,
      int parallelism) {
    return new Pass(scheduler, snapshot, demand.withStrategy(PlacementStrategy.SPREAD), groups).run(parallelism);
  }

  /** One pass's working state; not thread-safe, used once. */
  private static final class Pass {
    final Scheduler scheduler;
    final Demand demand;
    final List<NodeCandidate> nodes;
    final Map<String, Integer> index = new HashMap<>();
    final Set<String> eligible = new HashSet<>();
    final Set<String> sources = new HashSet<>();
    final Map<String, List<Instance>> movable = new HashMap<>();
    final Map<String, Integer> nodeCount = new HashMap<>();
    final Map<String, Integer> groupCount = new HashMap<>();
    final Map<String, String> groupOf = new HashMap<>();

    Pass(Scheduler scheduler, ClusterSnapshot snapshot, Demand demand, InstanceGroups groups) {
      this.scheduler = scheduler;
      this.demand = demand;
      this.nodes = new ArrayList<>(snapshot.nodes());
      for (int i = 0; i < nodes.size(); i++) {
        index.put(nodes.get(i).name(), i);
      }
      Set<String> vetoed = new HashSet<>();
      scheduler.round(snapshot).vetoes(demand).forEach(v -> vetoed.add(v.node()));
      nodes.stream().map(NodeCandidate::name).filter(n -> !vetoed.contains(n)).forEach(eligible::add);
      Set<String> paired = new HashSet<>(groups.replacementOf().keySet());
      groups.replacementOf().values().forEach(r -> paired.add(r.metadata().name()));
      for (Instance i : groups.live()) {
        if (groups.replacementOf().containsKey(i.metadata().name())) {
          continue; // the old half of a pair: its replacement counts
        }
        String node = i.spec().node();
        nodeCount.merge(node, 1, Integer::sum);
        groupCount.merge(group(node), 1, Integer::sum);
        if (!paired.contains(i.metadata().name())) {
          movable.computeIfAbsent(node, n -> new ArrayList<>()).add(i);
        }
      }
      movable.values().forEach(l -> l.sort(Comparator.comparing((Instance i) -> i.metadata().name())));
    }

    List<Move> run(int parallelism) {
      List<Move> moves = new ArrayList<>();
      while (moves.size() < parallelism) {
        Move next = next();
        if (next == null) {
          break;
        }
        moves.add(next);
      }
      return moves;
    }

    /** The next move, accounted; null when no source yields one that evens out the spread. */
    private Move next() {
      Targets targets = targets();
      List<String> order = movable.keySet().stream().filter(n -> !movable.get(n).isEmpty() && promising(targets, n))
          .sorted(Comparator.comparingInt((String n) -> groupCount.get(group(n))).reversed()
              .thenComparing(Comparator.comparingInt((String n) -> nodeCount.get(n)).reversed())
              .thenComparing(n -> n))
          .limit(SOURCES_PER_MOVE).toList();
      for (String from : order) {
        List<NodeCandidate> trial = new ArrayList<>(nodes);
        withoutOne(trial, from);
        BatchPlan plan = scheduler.place(demand, 1, new ClusterSnapshot(trial));
        if (plan.nodes().isEmpty() || !improves(from, plan.nodes().getFirst())) {
          continue;
        }
        String to = plan.nodes().getFirst();
        withoutOne(nodes, from);
        withOne(nodes, to);
        sources.add(from);
        List<Instance> list = movable.get(from);
        Instance moving = list.remove(list.size() - 1);
        nodeCount.merge(from, -1, Integer::sum);
        groupCount.merge(group(from), -1, Integer::sum);
        nodeCount.merge(to, 1, Integer::sum);
        groupCount.merge(group(to), 1, Integer::sum);
        return new Move(moving, to);
      }
      return null;
    }

    /**
     * The fewest instances on an eligible target node per group, and the two groups with targets
     * holding the fewest: whether a source could improve is then a lookup, not a scan of the nodes.
     */
    private Targets targets() {
      Map<String, Integer> fewestOnANode = new HashMap<>();
      for (String t : eligible) {
        if (!sources.contains(t)) {
          fewestOnANode.merge(group(t), nodeCount.getOrDefault(t, 0), Math::min);
        }
      }
      List<String> emptiest = fewestOnANode.keySet().stream()
          .sorted(Comparator.comparingInt((String g) -> groupCount.getOrDefault(g, 0)).thenComparing(g -> g))
          .limit(2).toList();
      return new Targets(fewestOnANode, emptiest);
    }

    private record Targets(Map<String, Integer> fewestOnANode, List<String> emptiest) {}

    /** Whether some eligible node would even out the spread by taking one of {@code from}'s instances. */
    private boolean promising(Targets targets, String from) {
      String g = group(from);
      for (String h : targets.emptiest()) {
        if (!h.equals(g)) {
          return groupCount.getOrDefault(g, 0) - groupCount.getOrDefault(h, 0) >= 2
              || sameGroupImproves(targets, g, from);
        }
      }
      return sameGroupImproves(targets, g, from);
    }

    private boolean sameGroupImproves(Targets targets, String g, String from) {
      Integer fewest = targets.fewestOnANode().get(g);
      return fewest != null && nodeCount.getOrDefault(from, 0) - fewest >= 2;
    }

    private boolean improves(String from, String to) {
      if (from.equals(to) || sources.contains(to)) {
        return false;
      }
      String g = group(from);
      String h = group(to);
      if (!g.equals(h)) {
        return groupCount.getOrDefault(g, 0) - groupCount.getOrDefault(h, 0) >= 2;
      }
      return nodeCount.getOrDefault(from, 0) - nodeCount.getOrDefault(to, 0) >= 2;
    }

    private String group(String node) {
      if (demand.spreadOver() == null) {
        return "";
      }
      return groupOf.computeIfAbsent(node, n -> {
        Integer i = index.get(n);
        String value = i == null ? null : NodeAttributes.value(demand.spreadOver(), nodes.get(i));
        return value == null ? ABSENT : value;
      });
    }

    /**
     * {@code node} no longer counts the moving instance and takes no moved one; it keeps the
     * instance's resources and ports, held until the replacement is ready.
     */
    private void withoutOne(List<NodeCandidate> list, String node) {
      Integer i = index.get(node);
      if (i == null) {
        return;
      }
      NodeCandidate n = list.get(i);
      Map<String, Integer> counts = new HashMap<>(n.instancesByWorkload());
      counts.computeIfPresent(demand.workload(), (w, c) -> c > 1 ? c - 1 : null);
      list.set(i, new NodeCandidate(n.name(), n.address(), n.ready(), n.draining(), false, n.labels(), n.drivers(),
          n.allocatable(), n.used(), n.usedPorts(), counts));
    }

    /** {@code node} holds one more instance: its resources, fixed host ports and count. */
    private void withOne(List<NodeCandidate> list, String node) {
      int i = index.get(node);
      NodeCandidate n = list.get(i);
      Map<String, Integer> counts = new HashMap<>(n.instancesByWorkload());
      counts.merge(demand.workload(), 1, Integer::sum);
      Set<Integer> ports = new HashSet<>(n.usedPorts());
      ports.addAll(demand.hostPorts());
      list.set(i, new NodeCandidate(n.name(), n.address(), n.ready(), n.draining(), n.eligible(), n.labels(),
          n.drivers(), n.allocatable(), n.used().plus(demand.resources()), ports, counts));
    }
  }
}
