package io.wharf.scheduler.rank;

import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.Comparator;

/** Orders feasible nodes, best first; ties are broken by node name so plans are deterministic. */
public interface Ranker {
  Comparator<NodeCandidate> order(Demand demand);

  /** How full the node would be with the demand placed: the mean of its cpu and memory share, 0..1+. */
  static double utilizationWith(Demand demand, NodeCandidate node) {
    double cpu = share(node.used().cpu().millicores() + demand.resources().cpu().millicores(),
        node.allocatable().cpu().millicores());
    double memory = share(node.used().memory().bytes() + demand.resources().memory().bytes(),
        node.allocatable().memory().bytes());
    return (cpu + memory) / 2;
  }

  private static double share(long used, long total) {
    return total <= 0 ? 1 : (double) used / total;
  }
}
