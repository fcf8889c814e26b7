package io.wharf.gateway.filter;

import io.wharf.gateway.metrics.GatewayMetrics;

/** Counts each request by route and status class and records its latency. */
final class RequestMetrics implements Filter, Exchange.EndListener {
  private final GatewayMetrics metrics;

  RequestMetrics(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void apply(Exchange ex, Chain chain) {
    ex.onEnd(this);
    chain.proceed(ex);
  }

  @Override
  public void ended(Exchange ex, Outcome outcome) {
    metrics.request(ex.routeLabel(), outcome.status(), System.nanoTime() - ex.startNanos());
  }
}
