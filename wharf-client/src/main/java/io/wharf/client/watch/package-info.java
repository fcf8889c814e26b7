/**
 * Following changes through {@code GET /v1/watch} (Server-Sent Events): the SSE line parser,
 * the parsed events, and {@link io.wharf.client.watch.WatchStream}, which reads on a virtual
 * thread, remembers the last event id, reconnects with {@code Last-Event-ID} after a dropped
 * connection and reports a compacted revision instead of silently skipping history.
 */
package io.wharf.client.watch;
