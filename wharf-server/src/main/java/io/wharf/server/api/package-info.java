/**
 * The control plane's HTTP API (docs/api.md): routes, request parsing (content types, the 4 MiB
 * body limit, query parameters), and the one mapping from failures to status codes and the JSON
 * error shape ({@link io.wharf.server.api.ErrorResponses}).
 */
package io.wharf.server.api;
