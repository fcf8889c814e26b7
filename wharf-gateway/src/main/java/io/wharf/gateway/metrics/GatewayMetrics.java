package io.wharf.gateway.metrics;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.gateway.accesslog.AccessLogWriter;
import io.wharf.gateway.upstream.Upstreams;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's meters. Labels: {@code route} (namespace/name, or {@code none}), {@code code}
 * (status class: 2xx..5xx), {@code reason} (connect, timeout, reset, status), {@code state}
 * (breaker state) — all bounded by the number of routes.
 *
 * <ul>
 *   <li>{@code wharf_gateway_requests_total{route,code}}</li>
 *   <li>{@code wharf_gateway_request_duration_seconds{route}} (histogram)</li>
 *   <li>{@code wharf_gateway_upstream_errors_total{route,reason}}</li>
 *   <li>{@code wharf_gateway_retries_total{route}}</li>
 *   <li>{@code wharf_gateway_breakers{state}}: endpoints whose breaker is in that state</li>
 *   <li>{@code wharf_gateway_access_log_dropped_total}: access log lines dropped (writer behind)</li>
 * </ul>
 */
public final class GatewayMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** {@code accessLog} null: no access log (and no dropped-lines counter). */
  public GatewayMetrics(Upstreams upstreams, AccessLogWriter accessLog) {
    if (accessLog != null) {
      io.micrometer.core.instrument.FunctionCounter.builder("wharf.gateway.access.log.dropped", accessLog,
              AccessLogWriter::dropped)
          .description("access log lines dropped because the writer fell behind").register(registry);
    }
    for (CircuitBreaker.State state : new CircuitBreaker.State[] {
        CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN}) {
      Gauge.builder("wharf.gateway.breakers", upstreams,
              u -> u.all().stream().filter(x -> x.breaker().getState() == state).count())
          .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
          .description("upstream endpoints whose circuit breaker is in this state")
          .register(registry);
    }
  }

  // Meters looked up once per (route, status class): registering per request costs more than the proxying.
  private final Map<String, RouteMeters> routes = new ConcurrentHashMap<>();

  /** A route's request counters (by status class, registered on first use) and latency timer. */
  private final class RouteMeters {
    private final String route;
    private final Counter[] byClass = new Counter[CODES.length];
    private final Timer duration;

    RouteMeters(String route) {
      this.route = route;
      this.duration = Timer.builder("wharf.gateway.request.duration").tag("route", route)
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    Counter counter(int statusClass) {
      Counter c = byClass[statusClass];
      if (c == null) { // a benign race: registering twice returns the same meter
        c = Counter.builder("wharf.gateway.requests").tag("route", route).tag("code", CODES[statusClass])
            .register(registry);
        byClass[statusClass] = c;
      }
      return c;
    }
  }

  public void request(String route, int status, long nanos) {
    RouteMeters m = routes.get(route);
    if (m == null) {
      m = routes.computeIfAbsent(route, RouteMeters::new);
    }
    m.counter(Math.min(Math.max(status / 100, 0), 5)).increment();
    m.duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  private static final String[] CODES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

  public void upstreamError(String route, String reason) {
    Counter.builder("wharf.gateway.upstream.errors").tag("route", route).tag("reason", reason)
        .register(registry).increment();
  }

  public void retry(String route) {
    Counter.builder("wharf.gateway.retries").tag("route", route).register(registry).increment();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
