/**
 * Upstream endpoints and how one is chosen: per-endpoint state that outlives route-table swaps
 * ({@link io.wharf.gateway.upstream.Upstream}: requests in flight, circuit breaker, passive
 * outlier ejection), load balancers, and the retry budget.
 */
package io.wharf.gateway.upstream;
