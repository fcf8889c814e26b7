/**
 * A real etcd for tests and benchmarks: {@link io.wharf.testkit.etcd.EtcdFixture} starts the
 * installed {@code etcd} binary on free loopback ports with a throw-away data directory, and can
 * kill and restart it to exercise reconnects; {@link io.wharf.testkit.etcd.EtcdClusterFixture}
 * starts a several-member cluster and kills or restarts one member.
 */
package io.wharf.testkit.etcd;
