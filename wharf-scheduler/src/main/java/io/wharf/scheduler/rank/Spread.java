package io.wharf.scheduler.rank;

/**
 * Spreads a workload: the node whose attribute value group holds the fewest of its instances
 * (when spreading over an attribute), then the node holding the fewest, then the least loaded,
 * then the lower index. {@code groupOf}/{@code groupCounts} are null when spreading over nodes;
 * the arrays are the round's live counters.
 */
public final class Spread implements Ranking {
  private final Load load;
  private final long cpu;
  private final long memory;
  private final int[] instances;
  private final int[] groupOf;
  private final int[] groupCounts;
  private int best = -1;
  private int bestGroupCount;
  private int bestCount;
  private double bestUtilization;

  public Spread(Load load, long cpu, long memory, int[] instances, int[] groupOf, int[] groupCounts) {
    this.load = load;
    this.cpu = cpu;
    this.memory = memory;
    this.instances = instances;
    this.groupOf = groupOf;
    this.groupCounts = groupCounts;
  }

  @Override
  public void reset() {
    best = -1;
  }

  @Override
  public void offer(int node) {
    int g = groupOf == null ? 0 : groupCounts[groupOf[node]];
    int c = instances[node];
    if (best >= 0) {
      if (g != bestGroupCount) {
        if (g > bestGroupCount) {
          return;
        }
      } else if (c != bestCount) {
        if (c > bestCount) {
          return;
        }
      } else {
        double u = load.utilizationWith(node, cpu, memory);
        if (u > bestUtilization || (u == bestUtilization && node > best)) {
          return;
        }
        take(node, g, c, u);
        return;
      }
    }
    take(node, g, c, load.utilizationWith(node, cpu, memory));
  }

  private void take(int node, int groupCount, int count, double utilization) {
    best = node;
    bestGroupCount = groupCount;
    bestCount = count;
    bestUtilization = utilization;
  }

  @Override
  public int best() {
    return best;
  }
}
