package io.wharf.gateway.accesslog;

/**
 * What the access log says about one request, captured on the event loop and formatted later by
 * the writer: when it ended (epoch millis), the client address, method, URI, the status sent,
 * how long it took (nanoseconds), the route ({@code none} before one matched), the endpoint that
 * answered ({@code -} for a local answer) and the trace id.
 */
public record AccessLogEntry(long endMillis, String client, String method, String uri, int status, long nanos,
                             String route, String upstream, CharSequence traceId) {

  /** {@code 2026-12-06T21:19:17.123Z 127.0.0.1 "GET /a" 200 0.412ms route=ns/web upstream=10.0.0.5:8080 trace=…}. */
  void appendTo(LineBuffer out, Timestamps timestamps) {
    timestamps.append(out, endMillis);
    out.ch(' ').text(client).ch(' ').ch('"').text(method).ch(' ').text(uri).ch('"').ch(' ').number(status).ch(' ');
    long micros = nanos / 1_000;
    out.number(micros / 1_000).ch('.').threeDigits((int) (micros % 1_000)).text(MS_ROUTE).text(route)
        .text(UPSTREAM).text(upstream).text(TRACE).text(traceId).ch('\n');
  }

  private static final byte[] MS_ROUTE = "ms route=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] UPSTREAM = " upstream=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] TRACE = " trace=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
}
