package io.wharf.scheduler.feasible;

import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.List;
import java.util.Optional;

/** One rule a node must pass to take a demand; the reason when it does not. */
@FunctionalInterface
public interface FeasibilityCheck {
  Optional<String> veto(Demand demand, NodeCandidate node);

  /** The checks in the order their reasons are most useful: state first, then fit. */
  static List<FeasibilityCheck> standard() {
    return List.of(new NodeReadiness(), new DriversPresent(), new ConstraintsMet(), new ResourcesFit(), new PortsFree());
  }
}
