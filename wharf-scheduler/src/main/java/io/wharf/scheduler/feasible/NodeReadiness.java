package io.wharf.scheduler.feasible;

import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.Optional;

/** Only ready nodes that are not draining take new instances. */
public final class NodeReadiness implements FeasibilityCheck {
  @Override
  public Optional<String> veto(Demand demand, NodeCandidate node) {
    if (!node.ready()) {
      return Optional.of("node is not ready");
    }
    if (node.draining()) {
      return Optional.of("node is draining");
    }
    return Optional.empty();
  }
}
