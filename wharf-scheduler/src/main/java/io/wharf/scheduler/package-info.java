/**
 * The scheduler seam: {@link io.wharf.scheduler.Scheduler#schedule} turns one {@link
 * io.wharf.scheduler.Demand} and a {@link io.wharf.scheduler.ClusterSnapshot} into a {@link
 * io.wharf.scheduler.Plan}: feasibility ({@code feasible}) first, whose vetoes say in words why a
 * node cannot take the instance, then ranking ({@code rank}). Business logic only: no I/O, no
 * clock; the server builds snapshots and applies plans.
 */
package io.wharf.scheduler;
