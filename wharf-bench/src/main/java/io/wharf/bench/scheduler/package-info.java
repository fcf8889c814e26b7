/**
 * The scheduler-alone benchmark: a simulated 5,000-node cluster with realistic labels and
 * capacities, placements per second and per-placement latency for single placements, one-at-a-time
 * placements in a round, and batch placement of many services. Entry point {@link
 * io.wharf.bench.scheduler.SchedulerBench}; run it with {@code scripts/bench-scheduler}.
 */
package io.wharf.bench.scheduler;
