/**
 * Service discovery for data planes (the gateway, DNS): which instances of a service are ready
 * and where they listen ({@link io.wharf.client.discovery.ReadyEndpoints}, a pure function of
 * services, instances and nodes), and a list-then-watch feed of the objects it needs
 * ({@link io.wharf.client.discovery.DiscoveryWatch}) delivering whole snapshots.
 */
package io.wharf.client.discovery;
