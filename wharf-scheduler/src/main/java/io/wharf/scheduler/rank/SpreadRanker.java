package io.wharf.scheduler.rank;

import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.Comparator;

/** Puts the instance where its workload has the fewest instances, then on the emptiest node. */
public final class SpreadRanker implements Ranker {
  @Override
  public Comparator<NodeCandidate> order(Demand demand) {
    return Comparator.<NodeCandidate>comparingInt(n -> n.instancesOf(demand.workload()))
        .thenComparingDouble(n -> Ranker.utilizationWith(demand, n))
        .thenComparing(NodeCandidate::name);
  }
}
