/**
 * The cluster scale benchmark (issue 4, "C1M" on one machine): a {@link
 * io.wharf.bench.cluster.SimulatedFleet} of thousands of simulated nodes in one process, talking
 * to a real {@code wharf server} ({@link io.wharf.bench.cluster.ServerProcess}, its own JVM so its
 * memory is its own) through the same client API as the real node agent; and {@link
 * io.wharf.bench.cluster.ClusterBench}, which applies big stacks of {@code sim} services and times
 * apply, placement and "all running" as the API reports them.
 */
package io.wharf.bench.cluster;
