package io.wharf.scheduler.feasible;

import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.Optional;
import java.util.TreeSet;

/** Every driver the instance's tasks use must have fingerprinted on the node. */
public final class DriversPresent implements FeasibilityCheck {
  @Override
  public Optional<String> veto(Demand demand, NodeCandidate node) {
    TreeSet<String> missing = new TreeSet<>(demand.drivers());
    missing.removeAll(node.drivers());
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("driver " + String.join(", ", missing) + " missing (node has "
        + (node.drivers().isEmpty() ? "none" : String.join(", ", new TreeSet<>(node.drivers()))) + ")");
  }
}
