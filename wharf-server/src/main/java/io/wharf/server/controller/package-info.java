/**
 * The control-loop framework, client-go style: one {@link io.wharf.server.controller.ClusterCache}
 * fed by one store watch, keyed {@link io.wharf.server.controller.WorkQueue}s (deduplicated, one
 * worker per key at a time, rate-limited retries), and {@link io.wharf.server.controller.Controller}s
 * whose workers run a {@link io.wharf.server.controller.Reconciler} on virtual threads. Reconcilers
 * are level-triggered: they re-read desired and actual state from the cache and converge, so a
 * dropped or coalesced notification costs nothing. Controllers live in subpackages. The caches'
 * list/watch/relist loop is one {@link io.wharf.server.controller.Informer}, shared by the cluster
 * cache and the cron controller's cache.
 */
package io.wharf.server.controller;
