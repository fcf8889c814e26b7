package io.wharf.gateway.filter;

import io.vertx.core.Future;
import io.wharf.gateway.metrics.GatewayMetrics;

/** Counts each request by route and status class and records its latency. */
final class RequestMetrics implements Filter {
  private final GatewayMetrics metrics;

  RequestMetrics(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    Future<Outcome> done = chain.proceed(ex);
    done.onComplete(ar -> metrics.request(ex.routeLabel(),
        ar.succeeded() ? ar.result().status() : 500, System.nanoTime() - ex.startNanos()));
    return done;
  }
}
