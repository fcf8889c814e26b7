/**
 * Rankings choose among the feasible nodes of one placement: {@link io.wharf.scheduler.rank.BinPack}
 * (fullest node that fits first) or {@link io.wharf.scheduler.rank.Spread} (fewest instances of the
 * workload, per attribute value group and then per node, then least loaded). Both read the live
 * counters of a placement round ({@link io.wharf.scheduler.rank.Load}) and break ties by node
 * index, which is name order, so plans are deterministic. Not thread-safe: one round, one thread.
 */
package io.wharf.scheduler.rank;
