package io.wharf.scheduler.feasible;

import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.Optional;

/** The instance's cpu and memory must fit in what the node has left. */
public final class ResourcesFit implements FeasibilityCheck {
  @Override
  public Optional<String> veto(Demand demand, NodeCandidate node) {
    var free = node.free();
    var want = demand.resources();
    if (want.cpu().millicores() > free.cpu().millicores()) {
      return Optional.of("insufficient cpu: wants " + want.cpu() + ", " + free.cpu() + " free of "
          + node.allocatable().cpu());
    }
    if (want.memory().bytes() > free.memory().bytes()) {
      return Optional.of("insufficient memory: wants " + want.memory() + ", " + free.memory() + " free of "
          + node.allocatable().memory());
    }
    return Optional.empty();
  }
}
