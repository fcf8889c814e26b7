/**
 * The control plane's HTTP API (docs/api.md): routes, request parsing (content types, the 4 MiB
 * body limit, query parameters), and the one mapping from failures to status codes and the JSON
 * error shape ({@link io.wharf.server.api.ErrorResponses}). Every route is registered with the
 * access it needs ({@link io.wharf.server.api.RouteTable}, {@link io.wharf.server.api.Access}), and
 * {@link io.wharf.server.api.AuthSeam} authenticates and authorises each request before its handler.
 */
package io.wharf.server.api;
