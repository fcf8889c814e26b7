package io.wharf.scheduler.rank;

/**
 * Cpu (millicores) and memory (bytes) per node, indexed like the round's nodes: allocatable and
 * held. The round mutates {@code usedCpu}/{@code usedMemory} as it places; rankings read them.
 * Confined to the round's thread.
 */
public final class Load {
  public final long[] allocatableCpu;
  public final long[] allocatableMemory;
  public final long[] usedCpu;
  public final long[] usedMemory;
  private final double[] perCpu;
  private final double[] perMemory;

  public Load(long[] allocatableCpu, long[] allocatableMemory, long[] usedCpu, long[] usedMemory) {
    this.allocatableCpu = allocatableCpu;
    this.allocatableMemory = allocatableMemory;
    this.usedCpu = usedCpu;
    this.usedMemory = usedMemory;
    this.perCpu = inverse(allocatableCpu);
    this.perMemory = inverse(allocatableMemory);
  }

  private static double[] inverse(long[] totals) {
    double[] inverse = new double[totals.length];
    for (int i = 0; i < totals.length; i++) {
      inverse[i] = totals[i] <= 0 ? 0 : 1.0 / totals[i];
    }
    return inverse;
  }

  /**
   * How full node {@code i} would be with {@code cpu}/{@code memory} more: the mean of its cpu and
   * memory shares (a resource the node has none of counts as full).
   */
  public double utilizationWith(int i, long cpu, long memory) {
    double c = allocatableCpu[i] <= 0 ? 1 : (usedCpu[i] + cpu) * perCpu[i];
    double m = allocatableMemory[i] <= 0 ? 1 : (usedMemory[i] + memory) * perMemory[i];
    return (c + m) * 0.5;
  }

  public boolean fits(int i, long cpu, long memory) {
    return usedCpu[i] + cpu <= allocatableCpu[i] && usedMemory[i] + memory <= allocatableMemory[i];
  }
}
