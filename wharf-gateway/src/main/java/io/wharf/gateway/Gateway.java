package io.wharf.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.wharf.client.discovery.DiscoverySnapshot;
import io.wharf.gateway.accesslog.AccessLogWriter;
import io.wharf.gateway.metrics.GatewayMetrics;
import io.wharf.gateway.routing.RouteTable;
import io.wharf.gateway.upstream.RetryBudget;
import io.wharf.gateway.upstream.Upstream;
import io.wharf.gateway.upstream.Upstreams;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway process's assembly: one Vert.x instance (Netty's native epoll transport where
 * available) whose {@code eventLoops} event loops serve the {@link ProxyListener}, an admin listener
 * ({@code /metrics}, {@code /healthz}), the access log writer, and the current
 * {@link RouteTable} in an atomic reference that {@link #apply} replaces when the
 * {@link EndpointSource} reports a change. Closing stops the source, then the listeners and
 * Vert.x, then the access log (reverse start order).
 *
 * <p>The access log is on when logger {@code wharf.gateway.access} is enabled at INFO (the CLI's
 * {@code WHARF_ACCESS_LOG}, default INFO); its lines go to stderr.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final Logger accessLogger = LoggerFactory.getLogger("wharf.gateway.access");

  private final GatewaySettings settings;
  private final EndpointSource source;
  private final Vertx vertx;
  private final Upstreams upstreams;
  private final RouteTable.Policies policies;
  private final AtomicReference<RouteTable> table = new AtomicReference<>(RouteTable.EMPTY);
  private final ReentrantLock applying = new ReentrantLock();
  private final GatewayMetrics metrics;
  private final AccessLogWriter accessLog;
  private HttpServer admin;
  private ProxyListener listener;

  private Gateway(GatewaySettings settings, EndpointSource source, io.wharf.gateway.auth.ClusterKeys cluster) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.policies = new RouteTable.Policies(cluster);
    this.source = Objects.requireNonNull(source, "source");
    this.upstreams = new Upstreams(settings.breakerOpenFor());
    this.accessLog = accessLogger.isInfoEnabled()
        ? AccessLogWriter.start(System.err, 65_536, java.time.Duration.ofMillis(50)) : null;
    this.metrics = new GatewayMetrics(upstreams, accessLog);
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.eventLoops())
        .setPreferNativeTransport(true));
    log.debug("gateway transport: {}", vertx.isNativeTransportEnabled() ? "native" : "NIO");
  }

  /** Starts listening (port 0: a free port, one event loop) and subscribes to {@code source}; throws when a port cannot be bound. */
  public static Gateway start(GatewaySettings settings, EndpointSource source) {
    return start(settings, source, null);
  }

  /**
   * The same, checking the tokens of {@code auth: jwt} routes without a key of their own against
   * {@code cluster}'s signing keys (null: such routes refuse every token).
   */
  public static Gateway start(GatewaySettings settings, EndpointSource source, io.wharf.gateway.auth.ClusterKeys cluster) {
    Gateway g = new Gateway(settings, source, cluster);
    try {
      g.listen();
      source.subscribe(g::apply);
      return g;
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  private void listen() {
    RetryBudget budget = new RetryBudget(settings.retryRatio(), settings.minRetriesPerSecond());
    try {
      listener = ProxyListener.bind(vertx, settings, table, budget, metrics, accessLog);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: listen on " + settings.host() + ":" + settings.port(), e);
    } catch (Exception e) { // Netty rethrows bind failures (a port in use) unchecked or as checked ones
      throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    if (settings.adminPort() >= 0) {
      admin = await(vertx.createHttpServer().requestHandler(req -> {
        switch (req.path()) {
          case "/metrics" -> req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
              .end(metrics.scrape());
          case "/healthz" -> req.response().end("ok\n");
          default -> req.response().setStatusCode(404).end("not found\n");
        }
      }).listen(settings.adminPort(), settings.adminHost()), "listen on " + settings.adminHost() + ":" + settings.adminPort());
    }
  }

  /**
   * Builds the table for {@code snapshot} and swaps it in; requests already running keep theirs.
   * A snapshot that cannot be built is logged and the previous table stays.
   */
  public void apply(DiscoverySnapshot snapshot) {
    applying.lock(); // builds one at a time so a slow build cannot overwrite a newer table
    try {
      RouteTable next = RouteTable.build(snapshot, upstreams, policies);
      table.set(next);
      log.debug("route table {}: {} routes", next.revision(), next.routes().size());
    } catch (RuntimeException e) {
      // Keep serving with the previous table rather than end the watch over one bad snapshot.
      log.error("cannot build the route table for revision {}; keeping the previous one", snapshot.revision(), e);
    } finally {
      applying.unlock();
    }
  }

  public RouteTable table() {
    return table.get();
  }

  /** The breaker state of endpoint {@code host:port}, if the gateway knows it. */
  public Optional<CircuitBreaker.State> breakerState(String address) {
    return Optional.ofNullable(upstreams.find(address)).map(Upstream::breaker).map(CircuitBreaker::getState);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(settings.host(), listener.port());
  }

  public InetSocketAddress adminAddress() {
    return admin == null ? null : new InetSocketAddress(settings.adminHost(), admin.actualPort());
  }

  private static <T> T await(io.vertx.core.Future<T> f, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out: " + what, e);
    }
  }

  @Override
  public void close() {
    try {
      source.close();
    } catch (Exception e) {
      log.warn("closing the endpoint source failed: {}", e.toString());
    }
    if (listener != null) {
      listener.close();
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("closing Vert.x failed: {}", e.toString());
    }
    if (accessLog != null) {
      accessLog.close();
    }
  }
}
