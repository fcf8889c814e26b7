/**
 * The etcd backend of {@link io.wharf.store.Store}, on jetcd: {@link io.wharf.store.etcd.EtcdStore}
 * maps reads, transactions, leases and compaction onto etcd's KV and lease services, and
 * {@link io.wharf.store.etcd.EtcdWatch} keeps a watch exactly-once across reconnects by resuming
 * from the last revision it delivered. No jetcd or gRPC type leaves this package: failures are
 * {@link io.wharf.store.StoreException}s (see {@link io.wharf.store.etcd.EtcdFailures}).
 */
package io.wharf.store.etcd;
