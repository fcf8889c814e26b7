package io.wharf.gateway.filter;

import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.wharf.gateway.GatewaySettings;
import io.wharf.gateway.accesslog.AccessLogWriter;
import io.wharf.gateway.metrics.GatewayMetrics;
import io.wharf.gateway.upstream.ConnectionPool;
import io.wharf.gateway.upstream.RetryBudget;
import java.util.ArrayList;
import java.util.List;

/** The gateway's filter chain, assembled in one place. */
public final class Pipeline {
  private Pipeline() {}

  /**
   * Every filter a request passes, in order. Read top to bottom: each one may answer on its own
   * (the status in the comment) or pass the request on to the next. Built once per event loop
   * ({@code pool} is that loop's upstream connections, {@code loop} runs its deadlines).
   * {@code accessLog} null: no access log.
   */
  public static List<Filter> filters(Vertx vertx, EventLoop loop, GatewaySettings settings, ConnectionPool pool,
      RetryBudget budget, GatewayMetrics metrics, AccessLogWriter accessLog) {
    List<Filter> filters = new ArrayList<>();
    if (accessLog != null) {
      filters.add(new AccessLog(accessLog));       // one line per request, whatever answered
    }
    filters.add(new RequestMetrics(metrics));      // count and time every request
    filters.add(new TraceContext());               // traceparent: propagate or start a trace
    filters.add(new RouteMatching());              // 404: no route for host/path/headers
    filters.add(new RateLimiting());               // 429 + Retry-After: route's bucket for the client key is empty
    filters.add(new JwtAuthentication(vertx));     // 401 + WWW-Authenticate: route wants a valid bearer token
    filters.add(new BodyLimit(settings.maxBodyBytes(), settings.bodyTimeout().toMillis())); // 413, 408
    filters.add(new ForwardedHeaders());           // X-Forwarded-For/-Proto/-Host, Forwarded
    filters.add(new Proxy(pool, new Deadlines(loop), budget, metrics)); // 502/503/504; upstream's answer
    return filters;
  }
}
