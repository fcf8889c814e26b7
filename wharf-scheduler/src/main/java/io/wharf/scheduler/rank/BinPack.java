package io.wharf.scheduler.rank;

/**
 * The fullest node that fits first (highest utilization with the instance placed), keeping other
 * nodes free for big instances and for scaling the pool in. Ties go to the lower index.
 */
public final class BinPack implements Ranking {
  private final Load load;
  private final long cpu;
  private final long memory;
  private int best = -1;
  private double bestUtilization;

  public BinPack(Load load, long cpu, long memory) {
    this.load = load;
    this.cpu = cpu;
    this.memory = memory;
  }

  @Override
  public void reset() {
    best = -1;
  }

  @Override
  public void offer(int node) {
    double u = load.utilizationWith(node, cpu, memory);
    if (best < 0 || u > bestUtilization || (u == bestUtilization && node < best)) {
      best = node;
      bestUtilization = u;
    }
  }

  @Override
  public int best() {
    return best;
  }
}
