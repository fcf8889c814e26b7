/**
 * Ambassadors: per-node local TCP proxies that give an instance stable addresses for its
 * dependencies. An instance of a service with {@code dependsOn: [db]} gets {@code DB_HOST},
 * {@code DB_PORT} and {@code DB_URL} pointing at a port on 127.0.0.1 of its node; the agent's
 * ambassador there forwards each connection to a ready endpoint of {@code db} as the discovery
 * view has it now, so {@code db} can move (new instances, new ports, another node) without the
 * dependant restarting.
 */
package io.wharf.agent.ambassador;
