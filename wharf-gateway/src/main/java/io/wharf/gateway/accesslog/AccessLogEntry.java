package io.wharf.gateway.accesslog;

/**
 * What the access log says about one request, captured on the event loop and formatted later by
 * the writer: when it ended (epoch millis), the client address, method, URI, the status sent,
 * how long it took (nanoseconds), the route ({@code none} before one matched), the endpoint that
 * answered ({@code -} for a local answer) and the trace id.
 */
public record AccessLogEntry(long endMillis, String client, String method, String uri, int status, long nanos,
                             String route, String upstream, String traceId) {

  /** {@code 2026-12-06T21:19:17.123Z 127.0.0.1 "GET /a" 200 0.412ms route=ns/web upstream=10.0.0.5:8080 trace=…}. */
  void appendTo(StringBuilder out, Timestamps timestamps) {
    timestamps.append(out, endMillis);
    out.append(' ').append(client).append(" \"").append(method).append(' ').append(uri).append("\" ")
        .append(status).append(' ');
    long micros = nanos / 1_000;
    out.append(micros / 1_000).append('.');
    long frac = micros % 1_000;
    if (frac < 100) {
      out.append('0');
    }
    if (frac < 10) {
      out.append('0');
    }
    out.append(frac).append("ms route=").append(route).append(" upstream=").append(upstream)
        .append(" trace=").append(traceId).append('\n');
  }
}
