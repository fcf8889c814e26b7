package io.wharf.scheduler;

/**
 * The scheduler: business logic only (no I/O, no clock), stateless and thread-safe. Every entry
 * point works on a {@link ClusterSnapshot}; the server applies the answers and re-checks them
 * against newer state.
 *
 * <ul>
 *   <li>{@link #schedule}: one instance → a {@link Plan} (a node, or every node's veto).
 *   <li>{@link #place}: {@code count} instances of one demand at once → a {@link BatchPlan}.
 *   <li>{@link #global}: a global service → a {@link GlobalPlan} (which nodes add or remove one).
 *   <li>{@link #round}: a {@link PlacementRound} to place several demands against one snapshot, each
 *       accounted before the next (one reconcile pass over many services).
 * </ul>
 *
 * Feasibility, in the order vetoes are reported: node ready / not draining / eligible, drivers,
 * constraints, named volumes, conflicts, distinct nodes, cpu, memory, fixed host ports. Ranking:
 * bin-pack (fullest node that fits) or spread (over an attribute's values, then nodes, then least
 * loaded); ties by node name.
 */
public final class Scheduler {
  public Plan schedule(Demand demand, ClusterSnapshot cluster) {
    PlacementRound round = round(cluster);
    var vetoes = round.vetoes(demand);
    BatchPlan one = round.place(demand, 1);
    return one.complete() ? new Plan.Placement(one.nodes().get(0), vetoes) : new Plan.NoPlacement(vetoes);
  }

  public BatchPlan place(Demand demand, int count, ClusterSnapshot cluster) {
    return round(cluster).place(demand, count);
  }

  public GlobalPlan global(Demand demand, ClusterSnapshot cluster) {
    return round(cluster).global(demand);
  }

  /** A fresh working copy of {@code cluster}; confine it to one thread. */
  public PlacementRound round(ClusterSnapshot cluster) {
    return new PlacementRound(cluster);
  }
}
