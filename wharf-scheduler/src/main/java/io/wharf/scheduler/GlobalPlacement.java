package io.wharf.scheduler;

import io.wharf.scheduler.feasible.NodeReadiness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A global service's plan against a round: every node that passes feasibility should run exactly
 * one instance. A node already running one keeps it when it is merely ineligible (that stops new
 * work only), and its own instance's resources and ports do not count against it; distinct nodes
 * does not apply (one per node is the point). Confined to the round's thread.
 */
final class GlobalPlacement {
  private GlobalPlacement() {}

  static GlobalPlan plan(PlacementRound round, Demand demand) {
    DemandRules rules = round.rules(demand);
    int[] own = rules.own;
    long cpu = demand.resources().cpu().millicores();
    long memory = demand.resources().memory().bytes();
    List<String> eligible = new ArrayList<>();
    List<String> add = new ArrayList<>();
    Map<String, Integer> remove = new HashMap<>();
    List<Veto> vetoes = new ArrayList<>();
    List<Integer> adding = new ArrayList<>();
    List<NodeCandidate> nodes = round.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      NodeCandidate node = nodes.get(i);
      boolean runs = own[i] > 0;
      Optional<Reason> veto = runs && node.ready() && !node.draining() ? Optional.empty()
          : NodeReadiness.veto(node);
      if (veto.isEmpty()) {
        veto = rules.placementVeto(i);
      }
      if (veto.isEmpty() && !runs) {
        veto = round.fitVeto(i, demand, cpu, memory);
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
        adding.add(i);
      }
    }
    for (int i : adding) {
      round.account(i, demand);
    }
    return new GlobalPlan(demand.workload(), eligible, add, remove, vetoes);
  }
}
