package io.wharf.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.wharf.gateway.accesslog.AccessLogWriter;
import io.wharf.gateway.filter.Filter;
import io.wharf.gateway.filter.Pipeline;
import io.wharf.gateway.metrics.GatewayMetrics;
import io.wharf.gateway.routing.RouteTable;
import io.wharf.gateway.upstream.ConnectionPool;
import io.wharf.gateway.upstream.RetryBudget;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The proxy listener: a Netty server on Vert.x's event loops (its native transport where
 * available), each accepted connection handled on one loop by its {@link ClientConnection}
 * behind Netty's HTTP/1.1 codec. Every loop has its own {@link LoopState}: the filter chain and
 * the upstream connection pool, so a request and its upstream connection share a thread and
 * never hand off. Vert.x's own HTTP server and client are not used on this path: they copy every
 * header into maps of their own, which cost more than the proxying of a small answer.
 */
final class ProxyListener implements AutoCloseable {
  static final String CODEC = "http";
  private static final int MAX_CONNECTIONS_PER_ENDPOINT = 256;
  private static final long UPSTREAM_KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Channel server;

  private ProxyListener(Channel server) {
    this.server = server;
  }

  /** Binds {@code settings.host():port()} (0: a free port); throws when it cannot. */
  static ProxyListener bind(Vertx vertx, GatewaySettings settings, AtomicReference<RouteTable> table,
      RetryBudget budget, GatewayMetrics metrics, AccessLogWriter accessLog) throws InterruptedException {
    VertxInternal vx = (VertxInternal) vertx;
    Map<EventLoop, LoopState> loops = new ConcurrentHashMap<>();
    long idleNanos = settings.idleTimeout().toNanos();
    long headerTimeoutNanos = settings.headerTimeout().toNanos();
    HttpDecoderConfig decoder = new HttpDecoderConfig().setMaxInitialLineLength(8192)
        .setMaxHeaderSize(settings.maxHeaderBytes()).setMaxChunkSize(65536);
    var channels = vx.transport().channelFactory(false);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(vx.acceptorEventLoopGroup(), vx.eventLoopGroup())
        .channelFactory(vx.transport().serverChannelFactory(false))
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, io.netty.buffer.PooledByteBufAllocator.DEFAULT)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            LoopState state = loops.computeIfAbsent(ch.eventLoop(), loop -> {
              ConnectionPool pool = new ConnectionPool(loop, channels,
                  task -> vertx.executeBlocking(() -> {
                    task.run();
                    return null;
                  }, false),
                  MAX_CONNECTIONS_PER_ENDPOINT, settings.maxHeaderBytes() * 2, UPSTREAM_KEEP_ALIVE_NANOS);
              return new LoopState(table, settings.maxBodyBytes(),
                  Filter.Chain.of(Pipeline.filters(vertx, loop, settings, pool, budget, metrics, accessLog)));
            });
            ChannelPipeline p = ch.pipeline();
            ConnectionTimeouts timeouts = new ConnectionTimeouts(headerTimeoutNanos, idleNanos);
            p.addLast(ConnectionTimeouts.NAME, timeouts);
            p.addLast(CODEC, new HttpServerCodec(decoder));
            p.addLast("exchanges", new ClientConnection(state, timeouts));
          }
        });
    Channel server = bootstrap.bind(settings.host(), settings.port()).sync().channel();
    return new ProxyListener(server);
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Stops accepting; open connections end with the event loops. */
  @Override
  public void close() {
    server.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  /** What the connections of one event loop share. */
  record LoopState(AtomicReference<RouteTable> tableRef, long maxBodyBytes, Filter.Chain chain) {
    /** The current route table: a request keeps the one it started with. */
    RouteTable table() {
      return tableRef.get();
    }
  }
}
