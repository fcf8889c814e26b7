package io.wharf.scheduler;

import io.wharf.scheduler.feasible.FeasibilityCheck;
import io.wharf.scheduler.rank.BinPackRanker;
import io.wharf.scheduler.rank.Ranker;
import io.wharf.scheduler.rank.SpreadRanker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Places one instance: every node goes through the feasibility checks (the first failing check
 * is that node's veto), the survivors are ranked by the demand's strategy, the best wins.
 * Pure and thread-safe.
 */
public final class Scheduler {
  private final List<FeasibilityCheck> checks;

  public Scheduler() {
    this(FeasibilityCheck.standard());
  }

  public Scheduler(List<FeasibilityCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  public Plan schedule(Demand demand, ClusterSnapshot cluster) {
    List<Veto> vetoes = new ArrayList<>();
    List<NodeCandidate> feasible = new ArrayList<>();
    for (NodeCandidate node : cluster.nodes()) {
      Optional<String> veto = veto(demand, node);
      if (veto.isPresent()) {
        vetoes.add(new Veto(node.name(), veto.get()));
      } else {
        feasible.add(node);
      }
    }
    if (feasible.isEmpty()) {
      return new Plan.NoPlacement(vetoes);
    }
    Ranker ranker = switch (demand.strategy()) {
      case BINPACK -> new BinPackRanker();
      case SPREAD -> new SpreadRanker();
    };
    feasible.sort(ranker.order(demand));
    return new Plan.Placement(feasible.get(0).name(), vetoes);
  }

  private Optional<String> veto(Demand demand, NodeCandidate node) {
    for (FeasibilityCheck check : checks) {
      Optional<String> veto = check.veto(demand, node);
      if (veto.isPresent()) {
        return veto;
      }
    }
    return Optional.empty();
  }
}
