package io.wharf.gateway.filter;

import io.wharf.gateway.accesslog.AccessLogEntry;
import io.wharf.gateway.accesslog.AccessLogWriter;

/**
 * One access log line per request: client, method, URI, status, time taken, route, upstream
 * endpoint, trace id. Outermost, so it sees every answer. The event loop only captures the
 * fields; the {@link AccessLogWriter}'s thread formats and writes them.
 */
final class AccessLog implements Filter, Exchange.EndListener {
  private final AccessLogWriter writer;

  AccessLog(AccessLogWriter writer) {
    this.writer = writer;
  }

  @Override
  public void apply(Exchange ex, Chain chain) {
    ex.onEnd(this);
    chain.proceed(ex);
  }

  @Override
  public void ended(Exchange ex, Outcome outcome) {
    writer.log(new AccessLogEntry(System.currentTimeMillis(), ex.clientAddress(), ex.method().name(), ex.uri(),
        outcome.status(), System.nanoTime() - ex.startNanos(), ex.routeLabel(),
        outcome.upstream() == null ? "-" : outcome.upstream(), ex.traceId()));
  }
}
