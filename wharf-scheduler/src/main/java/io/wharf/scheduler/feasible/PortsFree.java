package io.wharf.scheduler.feasible;

import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.Optional;
import java.util.TreeSet;

/** Fixed host ports the instance publishes must not be taken on the node. */
public final class PortsFree implements FeasibilityCheck {
  @Override
  public Optional<String> veto(Demand demand, NodeCandidate node) {
    TreeSet<Integer> taken = new TreeSet<>(demand.hostPorts());
    taken.retainAll(node.usedPorts());
    if (taken.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of((taken.size() == 1 ? "port " : "ports ")
        + String.join(", ", taken.stream().map(String::valueOf).toList()) + " already in use on the node");
  }
}
