/**
 * Loopback networking for tests: picking free 127.0.0.1 ports for servers tests start, and a
 * TCP proxy that can cut connections to simulate a partition.
 */
package io.wharf.testkit.net;
