package io.wharf.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.wharf.gateway.accesslog.AccessLogWriter;
import io.wharf.gateway.filter.Exchange;
import io.wharf.gateway.filter.Filter;
import io.wharf.gateway.filter.Pipeline;
import io.wharf.gateway.metrics.GatewayMetrics;
import io.wharf.gateway.routing.RouteTable;
import io.wharf.gateway.upstream.RetryBudget;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One event loop's share of the gateway: a listener on the shared port (Vert.x spreads
 * connections over the instances), its own upstream connection pools, and the pipeline. Each
 * request reads the current route table once, at its start.
 */
final class ProxyVerticle extends VerticleBase {
  private final GatewaySettings settings;
  private final AtomicReference<RouteTable> table;
  private final RetryBudget budget;
  private final GatewayMetrics metrics;
  private final AccessLogWriter accessLog;
  private final java.util.concurrent.atomic.AtomicInteger boundPort;
  private HttpServer server;

  ProxyVerticle(GatewaySettings settings, AtomicReference<RouteTable> table, RetryBudget budget,
      GatewayMetrics metrics, AccessLogWriter accessLog, java.util.concurrent.atomic.AtomicInteger boundPort) {
    this.accessLog = accessLog;
    this.boundPort = boundPort;
    this.settings = settings;
    this.table = table;
    this.budget = budget;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
            .setKeepAlive(true).setKeepAliveTimeout(30).setMaxHeaderSize(settings.maxHeaderBytes() * 2),
        new PoolOptions().setHttp1MaxSize(256));
    WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions());
    Filter.Chain chain = Filter.Chain.of(Pipeline.filters(vertx, settings, client, webSockets, budget, metrics, accessLog));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(settings.host()).setPort(settings.port())
        .setMaxHeaderSize(settings.maxHeaderBytes())
        .setMaxInitialLineLength(8192)
        // HTTP/1.1 only: with h2c upgrades on, Vert.x creates the connection (and calls the
        // connection handler that starts the header deadline) only after the first head arrived
        .setHttp2ClearTextEnabled(false)
        .setStrictThreadMode(true) // the server is used from its own event loop only: skip cross-thread handoffs
        // WebSocket frames pass through as they are: no compression extension handler on every read and write
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false)
        .setIdleTimeout((int) settings.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
    long headerTimeoutNanos = settings.headerTimeout().toNanos();
    server.connectionHandler(connection -> HeaderDeadline.install(connection, headerTimeoutNanos));
    server.requestHandler(request -> {
      if (request.headers().contains(HttpHeaders.CONTENT_LENGTH) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
        request.pause(); // BodyLimit reads the body once the filters before it agreed
      }
      if (request.decoderResult().isFailure()) {
        request.response().setStatusCode(400).putHeader("connection", "close").end("malformed request\n");
        return;
      }
      chain.proceed(new Exchange(request, table.get())).onFailure(e -> {
        if (!request.response().headWritten()) {
          request.response().setStatusCode(500).end("gateway error\n");
        } else {
          request.response().reset();
        }
      });
    });
    return server.listen().onSuccess(s -> boundPort.set(s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
