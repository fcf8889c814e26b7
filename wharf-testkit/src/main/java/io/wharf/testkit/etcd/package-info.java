/**
 * A real etcd for tests and benchmarks: {@link io.wharf.testkit.etcd.EtcdFixture} starts the
 * installed {@code etcd} binary on free loopback ports with a throw-away data directory, and can
 * kill and restart it to exercise reconnects.
 */
package io.wharf.testkit.etcd;
