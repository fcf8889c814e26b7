package io.wharf.gateway.filter;

import io.vertx.core.Future;
import io.wharf.gateway.accesslog.AccessLogEntry;
import io.wharf.gateway.accesslog.AccessLogWriter;

/**
 * One access log line per request: client, method, URI, status, time taken, route, upstream
 * endpoint, trace id. Outermost, so it sees every answer. The event loop only captures the
 * fields; the {@link AccessLogWriter}'s thread formats and writes them.
 */
final class AccessLog implements Filter {
  private final AccessLogWriter writer;

  AccessLog(AccessLogWriter writer) {
    this.writer = writer;
  }

  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    Future<Outcome> done = chain.proceed(ex);
    done.onComplete(ar -> {
      Outcome outcome = ar.succeeded() ? ar.result() : null;
      writer.log(new AccessLogEntry(System.currentTimeMillis(), ex.clientAddress(), ex.method().name(),
          ex.uri(), outcome == null ? 500 : outcome.status(), System.nanoTime() - ex.startNanos(),
          ex.routeLabel(), outcome == null || outcome.upstream() == null ? "-" : outcome.upstream(), ex.traceId()));
    });
    return done;
  }
}
