package io.wharf.scheduler.feasible;

import io.wharf.scheduler.NodeCandidate;
import io.wharf.scheduler.Reason;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Every driver the instance's tasks use must have fingerprinted on the node. */
public final class DriversPresent {
  private DriversPresent() {}

  public static Optional<Reason> veto(Set<String> wanted, NodeCandidate node) {
    if (node.drivers().containsAll(wanted)) {
      return Optional.empty();
    }
    TreeSet<String> missing = new TreeSet<>(wanted);
    missing.removeAll(node.drivers());
    return Optional.of(new Reason.DriverMissing(missing, new TreeSet<>(node.drivers())));
  }
}
