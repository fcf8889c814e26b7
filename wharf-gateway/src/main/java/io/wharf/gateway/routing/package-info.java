/**
 * The routing table: an immutable snapshot built from routes and ready endpoints
 * ({@link io.wharf.gateway.routing.RouteTable#build}), matched per request by host, path prefix
 * and headers, and replaced as a whole when anything changes.
 */
package io.wharf.gateway.routing;
