package io.wharf.scheduler.rank;

/**
 * Picks the best of the nodes offered for one placement: {@link #reset()}, {@link #offer} each
 * feasible node index (in any order), then {@link #best()} ({@code -1} when none was offered).
 * Ties go to the lower index.
 */
public sealed interface Ranking permits BinPack, Spread {
  void reset();

  void offer(int node);

  int best();
}
