package io.wharf.scheduler;

import io.wharf.scheduler.feasible.ConstraintsMet;
import io.wharf.scheduler.feasible.DriversPresent;
import io.wharf.scheduler.feasible.NodeReadiness;
import io.wharf.scheduler.rank.SpreadQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One demand's rules compiled against one {@link PlacementRound}, and the nodes still worth
 * scanning for it. The lasting rules (readiness, drivers, constraints, volumes, conflicts) are
 * checked once, when the entry is built; a node that later fails a fit rule (cpu, memory, ports,
 * distinct nodes) is dropped for good, since within a round free resources only shrink and taken
 * ports and instance counts only grow. The entry is rebuilt when what its lasting rules read
 * changes: a conflicting workload placed, or one of its volumes created. Confined to the round's
 * thread.
 */
final class DemandRules {
  final Demand demand;
  final ConstraintsMet constraints;
  final List<String> conflicts;
  final int[][] conflictCounts;
  final int[] own;
  final int[] groupOf;
  final int[] groupCounts;
  final long stamp;
  final int[] candidates;
  int live;
  /**
   * Ranking state left by the last call for this demand, valid while the round's version is still
   * {@code keptAt} (nothing placed since): the node bin-pack was filling, or spread's queue.
   */
  long keptAt = -1;
  int keptBest = -1;
  SpreadQueue keptQueue;
  /** Each node's lasting veto when the entry was built (null: none), for reporting. */
  private final Reason[] lasting;
  private final PlacementRound round;

  DemandRules(PlacementRound round, Demand demand) {
    this.round = round;
    this.demand = demand;
    this.constraints = new ConstraintsMet(demand.constraints());
    this.conflicts = new ArrayList<>(new TreeSet<>(demand.conflicts()));
    this.conflictCounts = conflicts.stream().map(round::countsOf).toArray(int[][]::new);
    this.own = round.countsOf(demand.workload());
    if (demand.spreadOver() != null && demand.strategy() == io.wharf.model.workload.PlacementStrategy.SPREAD) {
      this.groupOf = round.groupsOf(demand.spreadOver());
      this.groupCounts = round.groupCounts(demand.workload(), demand.spreadOver());
    } else {
      this.groupOf = null;
      this.groupCounts = null;
    }
    this.stamp = round.stamp(demand);
    int size = round.nodes().size();
    this.candidates = new int[size];
    this.lasting = new Reason[size];
    for (int i = 0; i < size; i++) {
      Optional<Reason> veto = NodeReadiness.veto(round.nodes().get(i));
      if (veto.isEmpty()) {
        veto = placementVeto(i);
      }
      if (veto.isEmpty()) {
        candidates[live++] = i;
      } else {
        lasting[i] = veto.get();
      }
    }
  }

  /**
   * The node's veto by the rules that cannot change while this entry is current (node state first,
   * then drivers, constraints, volumes, conflicts), as computed when it was built.
   */
  Optional<Reason> lastingVeto(int i) {
    return Optional.ofNullable(lasting[i]);
  }

  /** Drivers, constraints, volumes, conflicts. */
  Optional<Reason> placementVeto(int i) {
    NodeCandidate node = round.nodes().get(i);
    Optional<Reason> veto = DriversPresent.veto(demand.drivers(), node);
    if (veto.isPresent()) {
      return veto;
    }
    veto = constraints.veto(node);
    if (veto.isPresent()) {
      return veto;
    }
    for (NamedVolume v : demand.volumes()) {
      String holder = round.holder(v);
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
