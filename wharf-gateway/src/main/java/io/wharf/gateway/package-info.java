/**
 * The built-in L7 gateway: a Vert.x data plane. {@link io.wharf.gateway.Gateway} assembles it
 * (event loops, listeners, admin port); {@link io.wharf.gateway.filter.Pipeline#filters} lists
 * the filter chain every request goes through, top to bottom; routes and endpoints arrive from an
 * {@link io.wharf.gateway.EndpointSource} and become an immutable
 * {@link io.wharf.gateway.routing.RouteTable} swapped atomically.
 */
package io.wharf.gateway;
