package io.wharf.gateway.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connections of one event loop to every upstream endpoint: requests of a client
 * connection go out on connections of the same loop, so an exchange never changes threads. Per
 * endpoint at most {@code maxPerEndpoint} connections; a request beyond that waits for one to
 * come back. Idle connections are reused most recent first, and closed after
 * {@code keepAliveNanos} unused (checked every few seconds while any are idle).
 *
 * <p>Confined to its event loop: every method must be called on it.
 */
public final class ConnectionPool {
  static final String CODEC = "http";
  static final String HANDLER = "upstream";

  /** Gets a connection, or why none could be had. Runs on the pool's event loop. */
  public interface Acquired {
    void acquired(UpstreamConnection connection);

    void failed(Throwable cause);
  }

  private final EventLoop loop;
  private final ChannelFactory<? extends Channel> channels;
  private final Executor resolver;
  private final int maxPerEndpoint;
  private final int maxHeaderBytes;
  private final long keepAliveNanos;
  private final Map<String, Endpoint> endpoints = new HashMap<>();
  private ScheduledFuture<?> sweeper;

  /**
   * {@code resolver} runs host name lookups (blocking) for endpoints that are not IP addresses;
   * the connection then continues on {@code loop}.
   */
  public ConnectionPool(EventLoop loop, ChannelFactory<? extends Channel> channels, Executor resolver,
      int maxPerEndpoint, int maxHeaderBytes, long keepAliveNanos) {
    this.loop = loop;
    this.channels = channels;
    this.resolver = resolver;
    this.maxPerEndpoint = maxPerEndpoint;
    this.maxHeaderBytes = maxHeaderBytes;
    this.keepAliveNanos = keepAliveNanos;
  }

  /** A kept-alive connection to {@code host:port}, a new one, or (at the limit) the next one released. */
  public void acquire(Upstream upstream, int connectTimeoutMillis, Acquired callback) {
    Endpoint e = endpoints.get(upstream.address());
    if (e == null) {
      e = new Endpoint(upstream.endpoint().host(), upstream.endpoint().port());
      endpoints.put(upstream.address(), e);
    }
    UpstreamConnection idle;
    while ((idle = e.idle.pollFirst()) != null) {
      if (idle.channel().isActive()) {
        callback.acquired(idle);
        return;
      }
    }
    if (e.open >= maxPerEndpoint) {
      e.waiting.addLast(callback);
      return;
    }
    e.connect(connectTimeoutMillis, callback);
  }

  /** A new connection of its own (not pooled, not counted): for an upgrade, which keeps it. */
  public void connectOwn(Upstream upstream, int connectTimeoutMillis, Acquired callback) {
    new Endpoint(upstream.endpoint().host(), upstream.endpoint().port()).connect(connectTimeoutMillis, callback);
  }

  /** Hands {@code c} to a waiting request or keeps it for the next one; closes it when it cannot be reused. */
  public void release(UpstreamConnection c) {
    if (!c.reusable()) {
      c.close();
      return;
    }
    Endpoint e = c.owner();
    Acquired waiter = e.waiting.pollFirst();
    if (waiter != null) {
      waiter.acquired(c);
      return;
    }
    c.idleSinceNanos = System.nanoTime();
    e.idle.addFirst(c);
    if (sweeper == null) {
      sweeper = loop.scheduleAtFixedRate(this::sweep, 5, 5, TimeUnit.SECONDS);
    }
  }

  /** Withdraws a request still waiting for a connection (its deadline passed). */
  public void cancel(Upstream upstream, Acquired callback) {
    Endpoint e = endpoints.get(upstream.address());
    if (e != null) {
      e.waiting.remove(callback);
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    boolean anyIdle = false;
    for (Iterator<Endpoint> it = endpoints.values().iterator(); it.hasNext(); ) {
      Endpoint e = it.next();
      while (!e.idle.isEmpty() && now - e.idle.peekLast().idleSinceNanos > keepAliveNanos) {
        e.idle.pollLast().close();
      }
      anyIdle |= !e.idle.isEmpty();
      if (e.open == 0 && e.waiting.isEmpty()) {
        it.remove(); // an endpoint that went away leaves nothing behind
      }
    }
    if (!anyIdle && sweeper != null) {
      sweeper.cancel(false);
      sweeper = null;
    }
  }

  /** The connections of one endpoint. */
  final class Endpoint {
    private final String host;
    private final int port;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Acquired> waiting = new ArrayDeque<>();
    private int open;

    Endpoint(String host, int port) {
      this.host = host;
      this.port = port;
    }

    void connect(int connectTimeoutMillis, Acquired callback) {
      open++;
      if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
        connect(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port), connectTimeoutMillis,
            callback);
        return;
      }
      resolver.execute(() -> {
        InetSocketAddress address;
        try {
          address = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (Exception ex) {
          loop.execute(() -> {
            open--;
            callback.failed(ex);
          });
          return;
        }
        loop.execute(() -> connect(address, connectTimeoutMillis, callback));
      });
    }

    private void connect(InetSocketAddress address, int connectTimeoutMillis, Acquired callback) {
      UpstreamConnection connection = new UpstreamConnection(this);
      ChannelFuture f = new Bootstrap().group(loop).channelFactory(channels)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.ALLOCATOR, io.netty.buffer.PooledByteBufAllocator.DEFAULT)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, connectTimeoutMillis))
          .handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(CODEC, new HttpClientCodec(new HttpDecoderConfig().setValidateHeaders(false)
                  .setMaxInitialLineLength(8192).setMaxHeaderSize(maxHeaderBytes).setMaxChunkSize(65536), false, false));
              ch.pipeline().addLast(HANDLER, connection);
            }
          })
          .connect(address);
      f.addListener(done -> {
        if (done.isSuccess()) {
          callback.acquired(connection);
        } else {
          open--;
          callback.failed(done.cause());
          Acquired next = waiting.pollFirst(); // a slot came free: let a waiting request try its own
          if (next != null) {
            connect(connectTimeoutMillis, next);
          }
        }
      });
    }

    /** {@code c}'s channel closed: it no longer counts, and a waiting request may open one. */
    void closed(UpstreamConnection c) {
      open--;
      idle.remove(c);
      Acquired next = waiting.pollFirst();
      if (next != null) {
        connect(5_000, next);
      }
    }
  }
}
