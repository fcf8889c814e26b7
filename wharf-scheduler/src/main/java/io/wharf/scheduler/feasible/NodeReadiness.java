package io.wharf.scheduler.feasible;

import io.wharf.scheduler.NodeCandidate;
import io.wharf.scheduler.Reason;
import java.util.Optional;

/** Only ready, non-draining, eligible nodes take new instances. */
public final class NodeReadiness {
  private static final Optional<Reason> NOT_READY = Optional.of(new Reason.NodeNotReady());
  private static final Optional<Reason> DRAINING = Optional.of(new Reason.NodeDraining());
  private static final Optional<Reason> NOT_ELIGIBLE = Optional.of(new Reason.NodeNotEligible());

  private NodeReadiness() {}

  public static Optional<Reason> veto(NodeCandidate node) {
    if (!node.ready()) {
      return NOT_READY;
    }
    if (node.draining()) {
      return DRAINING;
    }
    if (!node.eligible()) {
      return NOT_ELIGIBLE;
    }
    return Optional.empty();
  }
}
