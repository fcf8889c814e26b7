package io.wharf.scheduler.rank;

/**
 * The fullest node that fits first (highest utilization with the instance placed), keeping other
 * nodes free for big instances and for scaling the pool in. Ties go to the lower index. Used as a
 * scan: {@link #reset()}, {@link #offer} each feasible node, {@link #best()} ({@code -1} if none).
 *
 * <p>Placing on the best node only raises its own utilization, so it stays the best for the next
 * instance of the batch as long as it still fits; the round relies on that to rescan only when
 * the node it is filling runs out.
 */
public final class BinPack {
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

  public void reset() {
    best = -1;
  }

  public void offer(int node) {
    double u = load.utilizationWith(node, cpu, memory);
    if (best < 0 || u > bestUtilization || (u == bestUtilization && node < best)) {
      best = node;
      bestUtilization = u;
    }
  }

  public int best() {
    return best;
  }
}
