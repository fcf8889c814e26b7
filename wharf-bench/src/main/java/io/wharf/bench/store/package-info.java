/**
 * The store write benchmark: the embedded store, the etcd store and raw etcd (jetcd without
 * Wharf's layer) under the same put workload in one run, printed side by side with ratios.
 * Entry point {@link io.wharf.bench.store.StoreBench}; run it with {@code scripts/bench-store}.
 */
package io.wharf.bench.store;
