package io.wharf.scheduler;

import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.workload.PlacementStrategy;
import io.wharf.scheduler.feasible.ConstraintsMet;
import io.wharf.scheduler.feasible.DriversPresent;
import io.wharf.scheduler.feasible.NodeAttributes;
import io.wharf.scheduler.feasible.NodeReadiness;
import io.wharf.scheduler.rank.BinPack;
import io.wharf.scheduler.rank.Load;
import io.wharf.scheduler.rank.Ranking;
import io.wharf.scheduler.rank.Spread;
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
 * <p>How it is fast and still exact: per batch, the rules that cannot change while this demand's
 * instances are placed (readiness, drivers, constraints, volumes, conflicts) are checked once per
 * node, leaving a candidate list; each placement then scans the candidates over primitive arrays
 * (resources, ports, instance counts), dropping for good any that no longer fit (within one batch
 * free resources only shrink and taken ports stay taken), and ranks the rest. Every node is
 * scored, none is sampled, so the chosen node is exactly the best by the ranking.
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
    Rules rules = new Rules(demand);
    int[] candidates = new int[size];
    int live = 0;
    for (int i = 0; i < size; i++) {
      if (rules.lastingVeto(i).isEmpty()) {
        candidates[live++] = i;
      }
    }
    long cpu = demand.resources().cpu().millicores();
    long memory = demand.resources().memory().bytes();
    int[] own = countsOf(demand.workload());
    boolean distinct = demand.distinctNodes();
    boolean hasPorts = !demand.hostPorts().isEmpty();
    boolean pinsVolume = demand.volumes().stream().anyMatch(v -> holder(v) == null);
    Ranking ranking = ranking(rules, own);
    List<String> placed = new ArrayList<>(Math.min(count, 1024));
    while (placed.size() < count) {
      ranking.reset();
      for (int j = 0; j < live; ) {
        int i = candidates[j];
        if (!load.fits(i, cpu, memory) || (distinct && own[i] > 0) || (hasPorts && portTaken(i, demand))) {
          candidates[j] = candidates[--live];
          continue;
        }
        ranking.offer(i);
        j++;
      }
      int best = ranking.best();
      if (best < 0) {
        break;
      }
      account(best, demand, own, rules.groupOf, rules.groupCounts);
      placed.add(nodes.get(best).name());
      if (pinsVolume) {
        for (NamedVolume v : demand.volumes()) {
          if (holder(v) == null) {
            volumesCreated.put(v.name(), nodes.get(best).name());
          }
        }
        pinsVolume = false;
        candidates[0] = best;
        live = 1;
      }
    }
    List<Veto> vetoes = placed.size() < count ? vetoes(rules) : List.of();
    return new BatchPlan(demand.workload(), count, placed, vetoes);
  }

  /** Every node's veto for one more instance of {@code demand} now, in node-name order. */
  public List<Veto> vetoes(Demand demand) {
    return vetoes(new Rules(demand));
  }

  /**
   * One instance on every node that passes feasibility, {@code distinctNodes} aside (see
   * {@link GlobalPlan}); the instances to add are accounted into the round. Named volumes that no
   * node holds yet do not pin a global service: each node gets its own.
   */
  public GlobalPlan global(Demand demand) {
    Rules rules = new Rules(demand);
    int[] own = countsOf(demand.workload());
    long cpu = demand.resources().cpu().millicores();
    long memory = demand.resources().memory().bytes();
    List<String> eligible = new ArrayList<>();
    List<String> add = new ArrayList<>();
    Map<String, Integer> remove = new HashMap<>();
    List<Veto> vetoes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      NodeCandidate node = nodes.get(i);
      boolean runs = own[i] > 0;
      Optional<Reason> veto = runs && node.ready() && !node.draining() ? Optional.empty() : NodeReadiness.veto(node);
      if (veto.isEmpty()) {
        veto = rules.placementVeto(i);
      }
      if (veto.isEmpty() && !runs) {
        veto = fitVeto(i, demand, cpu, memory);
      }
      if (veto.isPresent()) {
        vetoes.add(new Veto(node.name(), veto.get()));
        if (runs) {
          remove.put(node.name(), own[i]);
        }
        continue;
      }
      eligible.add(node.name());
      if (own[i] > 1) {
        remove.put(node.name(), own[i] - 1);
      }
      if (!runs) {
        add.add(node.name());
        account(i, demand, own, null, null);
      }
    }
    return new GlobalPlan(demand.workload(), eligible, add, remove, vetoes);
  }

  private List<Veto> vetoes(Rules rules) {
    List<Veto> vetoes = new ArrayList<>();
    Demand demand = rules.demand;
    long cpu = demand.resources().cpu().millicores();
    long memory = demand.resources().memory().bytes();
    int[] own = countsOf(demand.workload());
    for (int i = 0; i < size; i++) {
      Optional<Reason> veto = rules.lastingVeto(i);
      if (veto.isEmpty() && demand.distinctNodes() && own[i] > 0) {
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

  private Optional<Reason> fitVeto(int i, Demand demand, long cpu, long memory) {
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

  private void account(int i, Demand demand, int[] own, int[] groupOf, int[] groupCounts) {
    load.usedCpu[i] += demand.resources().cpu().millicores();
    load.usedMemory[i] += demand.resources().memory().bytes();
    if (!demand.hostPorts().isEmpty()) {
      if (!portsOwned[i]) {
        ports[i] = new HashSet<>(ports[i]);
        portsOwned[i] = true;
      }
      ports[i].addAll(demand.hostPorts());
    }
    own[i]++;
    if (groupOf != null) {
      groupCounts[groupOf[i]]++;
    }
  }

  private Ranking ranking(Rules rules, int[] own) {
    Demand demand = rules.demand;
    long cpu = demand.resources().cpu().millicores();
    long memory = demand.resources().memory().bytes();
    if (demand.strategy() == PlacementStrategy.BINPACK) {
      return new BinPack(load, cpu, memory);
    }
    return new Spread(load, cpu, memory, own, rules.groupOf, rules.groupCounts);
  }

  /** Instances of {@code workload} per node index, live: placements in this round add to it. */
  private int[] countsOf(String workload) {
    return counts.computeIfAbsent(workload, w -> {
      int[] c = new int[size];
      for (int i = 0; i < size; i++) {
        c[i] = nodes.get(i).instancesOf(w);
      }
      return c;
    });
  }

  /** The value group of each node for {@code attribute}; nodes without the attribute share one group. */
  private int[] groupsOf(String attribute) {
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

  private static int[] groupCounts(int[] groupOf, int[] own) {
    int groups = 0;
    for (int g : groupOf) {
      groups = Math.max(groups, g + 1);
    }
    int[] counts = new int[groups];
    for (int i = 0; i < groupOf.length; i++) {
      counts[groupOf[i]] += own[i];
    }
    return counts;
  }

  private String holder(NamedVolume v) {
    return v.node() != null ? v.node() : volumesCreated.get(v.name());
  }

  /** The demand's rules over node index, compiled once per batch. */
  private final class Rules {
    final Demand demand;
    final ConstraintsMet constraints;
    final List<String> conflicts;
    final int[][] conflictCounts;
    final int[] groupOf;
    final int[] groupCounts;

    Rules(Demand demand) {
      this.demand = demand;
      this.constraints = new ConstraintsMet(demand.constraints());
      this.conflicts = new ArrayList<>(new TreeSet<>(demand.conflicts()));
      this.conflictCounts = conflicts.stream().map(PlacementRound.this::countsOf).toArray(int[][]::new);
      if (demand.strategy() == PlacementStrategy.SPREAD && demand.spreadOver() != null) {
        this.groupOf = groupsOf(demand.spreadOver());
        this.groupCounts = groupCounts(groupOf, countsOf(demand.workload()));
      } else {
        this.groupOf = null;
        this.groupCounts = null;
      }
    }

    /** Rules that cannot change while this demand's own instances are placed, node state first. */
    Optional<Reason> lastingVeto(int i) {
      Optional<Reason> veto = NodeReadiness.veto(nodes.get(i));
      return veto.isPresent() ? veto : placementVeto(i);
    }

    /** Drivers, constraints, volumes, conflicts. */
    Optional<Reason> placementVeto(int i) {
      NodeCandidate node = nodes.get(i);
      Optional<Reason> veto = DriversPresent.veto(demand.drivers(), node);
      if (veto.isPresent()) {
        return veto;
      }
      veto = constraints.veto(node);
      if (veto.isPresent()) {
        return veto;
      }
      for (NamedVolume v : demand.volumes()) {
        String holder = holder(v);
        if (holder != null && !holder.equals(node.name())) {
          return Optional.of(new Reason.VolumeElsewhere(v.name(), holder));
        }
      }
      for (int c = 0; c < conflictCounts.length; c++) {
        if (conflictCounts[c][i] > 0) {
          return Optional.of(new Reason.Conflict(conflicts.get(c)));
        }
      }
      return Optional.empty();
    }
  }
}
