/**
 * A private Docker Engine for tests: {@link io.wharf.testkit.docker.DockerdFixture} starts its
 * own {@code dockerd} on a private socket, data root and exec root, without touching host
 * networking, and builds a busybox image locally (no registry is reachable).
 */
package io.wharf.testkit.docker;
