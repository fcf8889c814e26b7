/**
 * The revisioned key-value store every control-plane component keeps its state in,
 * modelled on etcd: {@link io.wharf.store.Store#get get}, {@link io.wharf.store.Store#range range},
 * {@link io.wharf.store.Store#txn transactions} guarded by revision compares,
 * {@link io.wharf.store.Store#watch watches} that resume from a revision, and leases with a TTL.
 *
 * <p>Backends live in sub-packages ({@code embedded}, {@code etcd}) and all pass the same
 * contract test suite. Keys are UTF-8 strings ordered bytewise; values are opaque bytes.
 */
package io.wharf.store;
