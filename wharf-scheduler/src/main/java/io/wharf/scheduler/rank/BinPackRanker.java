package io.wharf.scheduler.rank;

import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.Comparator;

/** Fills the fullest node first, keeping other nodes free for big instances (or for scaling in). */
public final class BinPackRanker implements Ranker {
  @Override
  public Comparator<NodeCandidate> order(Demand demand) {
    return Comparator.<NodeCandidate>comparingDouble(n -> -Ranker.utilizationWith(demand, n))
        .thenComparing(NodeCandidate::name);
  }
}
