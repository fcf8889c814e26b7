package io.wharf.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;

/**
 * One HTTP/1.1 connection to an upstream endpoint, carrying one exchange at a time (no
 * pipelining). The answer goes to the exchange's {@link ResponseListener} piece by piece as Netty
 * decodes it; when the last piece arrived the connection may go back to its pool. After a
 * {@code 101 Switching Protocols} the listener may {@link #upgrade} the connection into a tunnel.
 *
 * <p>Confined to its channel's event loop (the same loop as the client connection it serves).
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  /** Receives one exchange's answer. Every method runs on the connection's event loop. */
  public interface ResponseListener {
    /** The answer's head (interim 1xx answers other than 101 are skipped). */
    void head(HttpResponse head);

    /** A piece of the body; a {@link LastHttpContent} is the end. The listener owns (releases) it. */
    void content(HttpContent content);

    /** Netty finished a read: a good moment to flush what was written to the client. */
    default void readComplete() {}

    /** The connection failed or closed before the answer ended. */
    void failed(Throwable cause);
  }

  private final ConnectionPool.Endpoint owner;
  private Channel channel;
  private ResponseListener listener;
  private boolean reusable = true;
  private boolean skippingInterim;
  private boolean switching; // a 101 arrived: its (empty) end is not the end of the exchange
  long idleSinceNanos;

  UpstreamConnection(ConnectionPool.Endpoint owner) {
    this.owner = owner;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.channel = ctx.channel();
  }

  ConnectionPool.Endpoint owner() {
    return owner;
  }

  public Channel channel() {
    return channel;
  }

  /**
   * Sends {@code head} and {@code body} (null: none) and reports the answer to {@code l}. The body
   * is not consumed (a retry may send it again).
   */
  public void send(HttpRequest head, ByteBuf body, ResponseListener l) {
    this.listener = l;
    // One message, so the encoder writes a small body into the head's buffer: one buffer, one write
    ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : body.retainedDuplicate();
    channel.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, head.method(), head.uri(), content,
        head.headers(), EmptyHttpHeaders.INSTANCE), channel.voidPromise()); // a failed write reaches exceptionCaught
  }

  /** Whether the connection may carry another exchange (keep-alive, answer complete). */
  public boolean reusable() {
    return reusable && listener == null && channel.isActive();
  }

  /** Stops (or resumes) reading the answer: back-pressure from a slow client. */
  public void setAutoRead(boolean autoRead) {
    channel.config().setAutoRead(autoRead);
  }

  /** Closes the connection; a pending exchange is told it failed. */
  public void close() {
    reusable = false;
    channel.close();
  }

  /**
   * Takes the connection out of HTTP after a 101 (called while its answer is read): from now on
   * its bytes go to {@code client} unparsed, through a {@link Relay}.
   */
  public void upgrade(Channel client) {
    reusable = false;
    listener = null;
    var pipeline = channel.pipeline();
    pipeline.addLast("relay", new Relay(client));
    pipeline.remove(this);
    pipeline.remove(ConnectionPool.CODEC); // hands the bytes it still held on to the relay
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ResponseListener l = listener;
    if (l == null) {
      ReferenceCountUtil.release(msg); // nothing asked: an idle connection does not talk
      close();
      return;
    }
    if (msg instanceof HttpResponse head) {
      int status = head.status().code();
      if (status >= 100 && status < 200 && status != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        skippingInterim = true; // 100 Continue and friends: the real answer follows
        ReferenceCountUtil.release(msg);
        return;
      }
      if (!HttpUtil.isKeepAlive(head)) {
        reusable = false;
      }
      if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        switching = true;
        reusable = false;
      }
      l.head(head);
    }
    if (msg instanceof HttpContent content) {
      if (skippingInterim || switching) {
        if (content instanceof LastHttpContent) {
          skippingInterim = false;
        }
        content.release();
        return;
      }
      if (content instanceof LastHttpContent) {
        listener = null; // the exchange is over before the listener hears it, so it may release us
      }
      l.content(content);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (listener != null) {
      listener.readComplete();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    reusable = false;
    owner.closed(this);
    fail(new ClosedChannelException());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
    close();
  }

  private void fail(Throwable cause) {
    ResponseListener l = listener;
    listener = null;
    reusable = false;
    if (l != null) {
      l.failed(cause);
    }
  }
}
