package io.wharf.scheduler;

import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.workload.PlacementStrategy;
import io.wharf.scheduler.feasible.NodeAttributes;
import io.wharf.scheduler.rank.BinPack;
import io.wharf.scheduler.rank.Load;
import io.wharf.scheduler.rank.SpreadQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A working copy of a {@link ClusterSnapshot} that placements are accounted into: each instance
 * placed through the round holds its cpu, memory and fixed host ports on its node and counts as an
 * instance of its workload there (for spread, distinct nodes and conflicts), and a named volume it
 * created pins later instances mounting it, before the next placement is decided. Open one per
 * reconcile pass with {@link Scheduler#round(ClusterSnapshot)} and place every demand of the pass
 * through it.
 *
 * <p>Not thread-safe: one round belongs to one thread. It never changes the snapshot it came from.
 *
 * <p>How it is fast and still exact: the rules that cannot change while a demand's own instances
 * are placed (readiness, drivers, constraints, volumes, conflicts) are checked once per node and
 * demand, leaving a candidate list that is kept across calls until a conflicting workload is placed
 * or a volume it mounts is created. Fit rules (cpu, memory, ports, distinct nodes) are checked over
 * primitive arrays, and a candidate that fails one is dropped for good (within a round free
 * resources only shrink and taken ports and counts only grow). Bin-pack scans the candidates once
 * per node it fills (the node being filled stays the fullest while it fits); spread keeps them in
 * heaps ({@link SpreadQueue}). Every candidate is ranked, none is sampled: the chosen node is
 * exactly the best by the ranking, the same node one-at-a-time placements would choose.
 */
public final class PlacementRound {
  private final List<NodeCandidate> nodes;
  private final int size;
  private final Load load;
  private final Set<Integer>[] ports;
  private final boolean[] portsOwned;
  private final Map<String, int[]> counts = new HashMap<>();
  private final Map<String, int[]> groups = new HashMap<>();
  private final Map<String, String> volumesCreated = new HashMap<>();
  private final Map<String, Map<String, int[]>> groupCounts = new HashMap<>();
  private final Map<String, Long> placedInRound = new HashMap<>();
  private final Map<Demand, DemandRules> compiled = new HashMap<>();
  /** Placements accounted so far; ranking state kept between calls is valid only at the same version. */
  private long version;

  @SuppressWarnings("unchecked")
  PlacementRound(ClusterSnapshot snapshot) {
    this.nodes = snapshot.nodes();
    this.size = nodes.size();
    long[] allocatableCpu = new long[size];
    long[] allocatableMemory = new long[size];
    long[] usedCpu = new long[size];
    long[] usedMemory = new long[size];
    this.ports = new Set[size];
    this.portsOwned = new boolean[size];
    for (int i = 0; i < size; i++) {
      NodeCandidate n = nodes.get(i);
      allocatableCpu[i] = n.allocatable().cpu().millicores();
      allocatableMemory[i] = n.allocatable().memory().bytes();
      usedCpu[i] = n.used().cpu().millicores();
      usedMemory[i] = n.used().memory().bytes();
      ports[i] = n.usedPorts();
    }
    this.load = new Load(allocatableCpu, allocatableMemory, usedCpu, usedMemory);
  }

  /** The nodes of the round, in name order (the indices rankings use). */
  public List<NodeCandidate> nodes() {
    return nodes;
  }

  /**
   * Places up to {@code count} instances of {@code demand}, best node first each time, accounting
   * each before the next. Stops at the first instance no node can take; then the plan carries every
   * node's veto at that moment.
   */
  public BatchPlan place(Demand demand, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count " + count + " < 0");
    }
    DemandRules rules = rules(demand);
    List<String> placed = new ArrayList<>(Math.min(count, 1024));
    if (count > 0) {
      if (demand.strategy() == PlacementStrategy.BINPACK) {
        binPack(rules, count, placed);
      } else {
        spread(rules, count, placed);
      }
    }
    List<Veto> vetoes = placed.size() < count ? vetoes(rules(demand)) : List.of();
    return new BatchPlan(demand.workload(), count, placed, vetoes);
  }

  /** Scans the candidates once per node filled: the node being filled stays the fullest while it fits. */
  private void binPack(DemandRules rules, int count, List<String> placed) {
    Demand demand = rules.demand;
    BinPack ranking = new BinPack(load, demand.resources().cpu().millicores(), demand.resources().memory().bytes());
    int best = rules.keptAt == version ? rules.keptBest : -1;
    try {
      fill(rules, count, placed, ranking, best);
    } finally {
      rules.keptAt = version;
    }
  }

  private void fill(DemandRules rules, int count, List<String> placed, BinPack ranking, int best) {
    while (placed.size() < count) {
      if (best < 0 || !fits(rules, best)) {
        ranking.reset();
        offerFitting(rules, ranking::offer);
        best = ranking.best();
        rules.keptBest = best;
        if (best < 0) {
          return;
        }
      }
      placeOn(rules, best, placed);
    }
  }

  /** Drops the candidates that no longer fit, queues the rest, then polls one node per instance. */
  private void spread(DemandRules rules, int count, List<String> placed) {
    SpreadQueue queue = rules.keptAt == version && rules.keptQueue != null ? rules.keptQueue : queue(rules);
    try {
      queue = drain(rules, count, placed, queue);
    } finally {
      rules.keptQueue = queue;
      rules.keptAt = version;
    }
  }

  private SpreadQueue queue(DemandRules rules) {
    Demand demand = rules.demand;
    SpreadQueue queue = new SpreadQueue(load, demand.resources().cpu().millicores(),
        demand.resources().memory().bytes(), rules.own, rules.groupOf, rules.groupCounts);
    offerFitting(rules, queue::offer);
    return queue;
  }

  /** Drops the candidates that no longer fit (as before, for the rest of the round) and offers the rest. */
  private void offerFitting(DemandRules rules, java.util.function.IntConsumer offer) {
    int live = rules.live;
    int[] candidates = rules.candidates;
    for (int j = 0; j < live; ) {
      int i = candidates[j];
      if (!fits(rules, i)) {
        candidates[j] = candidates[--live];
        continue;
      }
      offer.accept(i);
      j++;
    }
    rules.live = live;
  }

  /** Places from the queue; returns the queue to keep (a new one once a volume pinned the demand). */
  private SpreadQueue drain(DemandRules rules, int count, List<String> placed, SpreadQueue queue) {
    Demand demand = rules.demand;
    while (placed.size() < count) {
      int best = queue.poll();
      while (best >= 0 && !fits(rules, best)) {
        best = queue.poll();
      }
      if (best < 0) {
        return queue;
      }
      boolean pinned = placeOn(rules, best, placed);
      if (pinned) {
        queue = new SpreadQueue(load, demand.resources().cpu().millicores(), demand.resources().memory().bytes(),
            rules.own, rules.groupOf, rules.groupCounts);
      }
      if (fits(rules, best)) {
        queue.offer(best);
      }
    }
    return queue;
  }

  /** Whether candidate {@code i} can take one more instance now (its lasting rules already passed). */
  private boolean fits(DemandRules rules, int i) {
    Demand demand = rules.demand;
    return load.fits(i, demand.resources().cpu().millicores(), demand.resources().memory().bytes())
        && !(demand.distinctNodes() && rules.own[i] > 0)
        && (demand.hostPorts().isEmpty() || !portTaken(i, demand));
  }

  /**
   * Accounts one instance on {@code i}; when it creates a named volume, pins the demand's candidates
   * to that node and returns true.
   */
  private boolean placeOn(DemandRules rules, int i, List<String> placed) {
    Demand demand = rules.demand;
    account(i, demand);
    placed.add(nodes.get(i).name());
    boolean pinned = false;
    for (NamedVolume v : demand.volumes()) {
      if (holder(v) == null) {
        volumesCreated.put(v.name(), nodes.get(i).name());
        pinned = true;
      }
    }
    if (pinned) {
      rules.candidates[0] = i;
      rules.live = 1;
    }
    return pinned;
  }

  /** Every node's veto for one more instance of {@code demand} now, in node-name order. */
  public List<Veto> vetoes(Demand demand) {
    return vetoes(rules(demand));
  }

  /**
   * One instance on every node that passes feasibility, {@code distinctNodes} aside (see
   * {@link GlobalPlan}); the instances to add are accounted into the round. Named volumes that no
   * node holds yet do not pin a global service: each node gets its own.
   */
  public GlobalPlan global(Demand demand) {
    return GlobalPlacement.plan(this, demand);
  }

  private List<Veto> vetoes(DemandRules rules) {
    List<Veto> vetoes = new ArrayList<>();
    Demand demand = rules.demand;
    long cpu = demand.resources().cpu().millicores();
    long memory = demand.resources().memory().bytes();
    for (int i = 0; i < size; i++) {
      Optional<Reason> veto = rules.lastingVeto(i);
      if (veto.isEmpty() && demand.distinctNodes() && rules.own[i] > 0) {
        veto = Optional.of(new Reason.AlreadyRunsOne(demand.workload()));
      }
      if (veto.isEmpty()) {
        veto = fitVeto(i, demand, cpu, memory);
      }
      if (veto.isPresent()) {
        vetoes.add(new Veto(nodes.get(i).name(), veto.get()));
      }
    }
    return vetoes;
  }

  /** Cpu, memory, then fixed host ports of node {@code i} for one more instance now. */
  Optional<Reason> fitVeto(int i, Demand demand, long cpu, long memory) {
    NodeCandidate node = nodes.get(i);
    long freeCpu = Math.max(0, load.allocatableCpu[i] - load.usedCpu[i]);
    if (cpu > freeCpu) {
      return Optional.of(new Reason.NotEnoughCpu(demand.resources().cpu(), new Cpu(freeCpu), node.allocatable().cpu()));
    }
    long freeMemory = Math.max(0, load.allocatableMemory[i] - load.usedMemory[i]);
    if (memory > freeMemory) {
      return Optional.of(new Reason.NotEnoughMemory(demand.resources().memory(), new ByteSize(freeMemory),
          node.allocatable().memory()));
    }
    if (!demand.hostPorts().isEmpty() && portTaken(i, demand)) {
      TreeSet<Integer> taken = new TreeSet<>(demand.hostPorts());
      taken.retainAll(ports[i]);
      return Optional.of(new Reason.PortsInUse(taken));
    }
    return Optional.empty();
  }

  private boolean portTaken(int i, Demand demand) {
    Set<Integer> used = ports[i];
    if (used.isEmpty()) {
      return false;
    }
    for (Integer p : demand.hostPorts()) {
      if (used.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /** Holds the instance's resources and ports on node {@code i} and counts it, everywhere it is counted. */
  void account(int i, Demand demand) {
    load.usedCpu[i] += demand.resources().cpu().millicores();
    load.usedMemory[i] += demand.resources().memory().bytes();
    if (!demand.hostPorts().isEmpty()) {
      if (!portsOwned[i]) {
        ports[i] = new HashSet<>(ports[i]);
        portsOwned[i] = true;
      }
      ports[i].addAll(demand.hostPorts());
    }
    countsOf(demand.workload())[i]++;
    Map<String, int[]> spreads = groupCounts.get(demand.workload());
    if (spreads != null) {
      spreads.forEach((attribute, perGroup) -> perGroup[groupsOf(attribute)[i]]++);
    }
    placedInRound.merge(demand.workload(), 1L, Long::sum);
    version++;
  }

  /** The demand's compiled rules and candidates, reused while what their lasting rules read is unchanged. */
  DemandRules rules(Demand demand) {
    DemandRules rules = compiled.get(demand);
    if (rules == null || rules.stamp != stamp(demand)) {
      rules = new DemandRules(this, demand);
      compiled.put(demand, rules);
    }
    return rules;
  }

  /** Grows whenever something a demand's lasting rules read changes: conflicting placements, volumes created. */
  long stamp(Demand demand) {
    long stamp = 0;
    for (String c : demand.conflicts()) {
      stamp += placedInRound.getOrDefault(c, 0L);
    }
    for (NamedVolume v : demand.volumes()) {
      if (holder(v) != null) {
        stamp++;
      }
    }
    return stamp;
  }

  /** Instances of {@code workload} per node index, live: placements in this round add to it. */
  int[] countsOf(String workload) {
    return counts.computeIfAbsent(workload, w -> {
      int[] c = new int[size];
      for (int i = 0; i < size; i++) {
        c[i] = nodes.get(i).instancesOf(w);
      }
      return c;
    });
  }

  /** The value group of each node for {@code attribute}; nodes without the attribute share one group. */
  int[] groupsOf(String attribute) {
    return groups.computeIfAbsent(attribute, a -> {
      Map<String, Integer> ids = new HashMap<>();
      int[] of = new int[size];
      for (int i = 0; i < size; i++) {
        String value = NodeAttributes.value(a, nodes.get(i));
        of[i] = ids.computeIfAbsent(value == null ? "\0absent" : value, v -> ids.size());
      }
      return of;
    });
  }

  /** Instances of {@code workload} per value group of {@code attribute}, live. */
  int[] groupCounts(String workload, String attribute) {
    return groupCounts.computeIfAbsent(workload, w -> new HashMap<>()).computeIfAbsent(attribute, a -> {
      int[] groupOf = groupsOf(a);
      int[] own = countsOf(workload);
      int groups = 0;
      for (int g : groupOf) {
        groups = Math.max(groups, g + 1);
      }
      int[] perGroup = new int[groups];
      for (int i = 0; i < size; i++) {
        perGroup[groupOf[i]] += own[i];
      }
      return perGroup;
    });
  }

  String holder(NamedVolume v) {
    return v.node() != null ? v.node() : volumesCreated.get(v.name());
  }
}
