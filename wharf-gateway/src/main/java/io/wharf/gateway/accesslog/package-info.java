/**
 * The gateway's access log: event loops hand one {@link io.wharf.gateway.accesslog.AccessLogEntry}
 * per request to an {@link io.wharf.gateway.accesslog.AccessLogWriter}, whose own thread formats
 * and writes them in batches, so a request costs the event loop a queue offer, not a formatted
 * line and a write.
 */
package io.wharf.gateway.accesslog;
