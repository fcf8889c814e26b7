/**
 * How the feasible nodes of one placement are ranked: {@link io.wharf.scheduler.rank.BinPack}
 * (fullest node that fits first, found by a scan) or {@link io.wharf.scheduler.rank.SpreadQueue}
 * (fewest instances of the workload, per attribute value group and then per node, then least
 * loaded, kept in heaps). Both read the live counters of a placement round ({@link
 * io.wharf.scheduler.rank.Load}) and break ties by node index, which is name order, so plans are
 * deterministic. Not thread-safe: one round, one thread.
 */
package io.wharf.scheduler.rank;
