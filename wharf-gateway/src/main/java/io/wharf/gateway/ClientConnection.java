package io.wharf.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.wharf.gateway.filter.Exchange;
import io.wharf.gateway.filter.Outcome;
import io.wharf.gateway.upstream.Relay;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: turns what Netty's HTTP decoder reads into {@link Exchange}s and runs
 * each through the filter chain, one at a time in the order they came (pipelined requests wait
 * their turn, and past {@link #MAX_QUEUED} waiting pieces the connection stops reading). A
 * request's body pieces go to its exchange as they arrive. When an answer asked for the
 * connection to close, it closes once the answer is written and the client finished sending
 * (or after {@link #LINGER_MS}), so the answer is not lost to a reset. An exchange that upgraded
 * (WebSocket) takes the connection out of HTTP: its bytes are relayed unchanged from then on.
 *
 * <p>Confined to the connection's event loop.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements Exchange.EndListener {
  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
  static final int MAX_QUEUED = 64;
  static final long LINGER_MS = 1000;

  private final ProxyListener.LoopState loop;
  private final ConnectionTimeouts timeouts;
  private final ArrayDeque<Object> queued = new ArrayDeque<>(4);
  private ChannelHandlerContext ctx;
  private String clientAddress = "unknown";
  private Exchange current;
  private boolean receiving; // the current exchange's request is still arriving
  private boolean responding; // the current exchange's answer is not complete
  private boolean closing;
  private boolean draining;

  ClientConnection(ProxyListener.LoopState loop, ConnectionTimeouts timeouts) {
    this.loop = loop;
    this.timeouts = timeouts;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
      clientAddress = a.getAddress().getHostAddress();
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      timeouts.headReceived();
    }
    if (msg instanceof LastHttpContent) {
      timeouts.requestEnded();
    }
    if (closing) {
      boolean last = msg instanceof LastHttpContent;
      ReferenceCountUtil.release(msg);
      if (last && current != null && receiving) { // the client finished sending: now the close loses nothing
        receiving = false;
        current.closeWhenWritten();
      }
      return;
    }
    if ((current != null && !receiving) || !queued.isEmpty()) {
      queued.addLast(msg); // a pipelined request: after the current answer
      if (queued.size() >= MAX_QUEUED) {
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    if (current != null) {
      if (msg instanceof HttpContent c) {
        deliver(c);
      } else {
        ReferenceCountUtil.release(msg);
      }
    } else if (msg instanceof HttpRequest request) {
      start(request);
    } else {
      ReferenceCountUtil.release(msg); // the rest of a request that was refused before it was read
    }
  }

  private void start(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      refuse(request.decoderResult().cause());
      return;
    }
    Exchange ex = new Exchange(ctx, request, loop.table(), clientAddress, loop.maxBodyBytes());
    current = ex;
    receiving = true;
    responding = true;
    ex.onEnd(this); // first registered, so it hears the end last (after the access log and metrics)
    try {
      loop.chain().proceed(ex);
    } catch (RuntimeException e) {
      ex.fail(e);
    }
  }

  private void deliver(HttpContent content) {
    Exchange ex = current;
    boolean last = content instanceof LastHttpContent;
    ex.bodyContent(content);
    if (last) {
      receiving = false;
      if (!responding) {
        finish(ex);
      }
    }
  }

  @Override
  public void ended(Exchange ex, Outcome outcome) {
    if (ex != current) {
      return;
    }
    responding = false;
    if (ex.tunnelPeer() != null) {
      takeOver(ex);
      return;
    }
    if (!ex.keepAlive()) {
      closing = true;
      releaseQueued();
      if (receiving) { // let the client finish sending (discarded), so it reads the answer instead of a reset
        ctx.executor().schedule(() -> ex.closeWhenWritten(), LINGER_MS, TimeUnit.MILLISECONDS);
        return;
      }
    }
    if (!receiving) {
      finish(ex);
    }
  }

  /** The exchange is over on both sides: on to the next request (or close). */
  private void finish(Exchange ex) {
    ex.releaseBody();
    current = null;
    if (closing) {
      ex.closeWhenWritten();
      return;
    }
    if (draining) {
      return; // the loop below goes on
    }
    draining = true;
    try {
      Object next;
      while (!closing && (current == null || receiving) && (next = queued.pollFirst()) != null) {
        handle(next); // starts the next request, or gives the current one its body
      }
    } finally {
      draining = false;
    }
    if (!ctx.channel().config().isAutoRead() && queued.size() < MAX_QUEUED / 2) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** A request Netty could not decode: 414, 431 or 400, and the connection closes. */
  private void refuse(Throwable cause) {
    HttpResponseStatus status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      message = "request line too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      message = "request headers too large";
    } else if (cause instanceof TooLongFrameException) {
      status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
      message = "request too large";
    } else {
      status = HttpResponseStatus.BAD_REQUEST;
      message = "malformed request";
    }
    closing = true;
    releaseQueued();
    byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
    var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(text));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** After a 101: the connection leaves HTTP and relays bytes to the upstream's connection. */
  private void takeOver(Exchange ex) {
    current = null;
    closing = true; // nothing more for this handler
    releaseQueued();
    ChannelPipeline p = ctx.pipeline();
    p.addLast("relay", new Relay(ex.tunnelPeer()));
    p.remove(this);
    timeouts.stopHeadClock();
    p.remove(ProxyListener.CODEC); // hands bytes it still held on to the relay
  }

  private void releaseQueued() {
    Object o;
    while ((o = queued.pollFirst()) != null) {
      ReferenceCountUtil.release(o);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    releaseQueued();
    if (current != null) {
      current.clientGone();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (current != null) {
      current.writabilityChanged();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client connection from {} failed: {}", clientAddress, cause.toString());
    ctx.close();
  }
}
