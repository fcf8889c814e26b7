/**
 * Change streams: one store watch on every resource key fanned out by
 * {@link io.wharf.server.watch.WatchHub} to per-client {@link io.wharf.server.watch.Subscription}s
 * with their own filters and bounded queues, resumable from a revision (replay buffer, or a
 * dedicated store watch for older history that reports compaction).
 */
package io.wharf.server.watch;
