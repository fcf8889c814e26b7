/**
 * The Java client of Wharf's HTTP API (docs/api.md): reads, lists, writes and deletes
 * resources, plans and applies stacks, and checks health and version. Watches live in
 * {@link io.wharf.client.watch}, plan and apply results in {@link io.wharf.client.stack}.
 *
 * <p>Every error the server reports becomes an {@link io.wharf.client.ApiException} with its
 * status, code, message and problems; a failure to talk to the server at all becomes a
 * {@link io.wharf.client.ClientException}. Both are unchecked so callers handle them once, at
 * the edge (the CLI maps them to exit codes).
 */
package io.wharf.client;
