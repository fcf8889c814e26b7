package io.wharf.gateway.filter;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on logger {@code wharf.gateway.access}: client, method, URI, status,
 * milliseconds, route, upstream endpoint, trace id. Outermost, so it sees every answer.
 */
final class AccessLog implements Filter {
  private static final Logger log = LoggerFactory.getLogger("wharf.gateway.access");

  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    return chain.proceed(ex).andThen(ar -> {
      if (log.isInfoEnabled()) {
        int status = ar.succeeded() ? ar.result().status() : 500;
        String upstream = ar.succeeded() && ar.result().upstream() != null ? ar.result().upstream() : "-";
        log.info("{} \"{} {}\" {} {}ms route={} upstream={} trace={}", ex.clientAddress(), ex.request().method(),
            ex.request().uri(), status, (System.nanoTime() - ex.startNanos()) / 1_000_000, ex.routeLabel(), upstream,
            ex.traceId());
      }
    });
  }
}
