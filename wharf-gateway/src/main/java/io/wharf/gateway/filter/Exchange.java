package io.wharf.gateway.filter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.wharf.gateway.routing.ActiveRoute;
import io.wharf.gateway.routing.RouteTable;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One request on its way through the pipeline: the client's request head as Netty decoded it,
 * the route table it started with, what filters add (the route, the headers for upstream, the
 * trace), its body as it arrives, and the response going back. Writes go through the client
 * connection's HTTP encoder. Confined to the connection's event loop.
 *
 * <p>The client's header object is handed upstream as it is (hop-by-hop headers removed by the
 * proxy), so a request's headers are decoded once and never copied.
 */
public final class Exchange {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Exchange.class);

  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final RouteTable table;
  private final HttpVersion version; // as the client sent it (the request object is reused upstream)
  private final String uri; // as the client sent it (the request object is reused upstream with the endpoint's target)
  private final String clientAddress;
  private final long startNanos = System.nanoTime();
  private final boolean keepAlive;
  private final boolean webSocket;
  private final long maxBodyBytes;
  private final UpstreamHeaders upstreamHeaders = new UpstreamHeaders();
  private ActiveRoute route;
  private CharSequence traceId = "-";
  private String path;

  // the request body, as the connection delivers it
  private ByteBuf body; // null: nothing received (yet)
  private boolean requestEnded;
  private boolean oversize;
  private boolean discardBody;
  private Runnable bodyListener;

  // the response
  private EndListener[] endListeners = new EndListener[4];
  private int endCount;
  private Outcome outcome;
  private boolean headWritten;
  private boolean closeAfterResponse;
  private ChannelFuture lastWrite;
  private Runnable onWritable;
  private Runnable onClientGone;
  private io.netty.channel.Channel tunnelPeer;

  public Exchange(ChannelHandlerContext ctx, HttpRequest request, RouteTable table, String clientAddress,
      long maxBodyBytes) {
    this.ctx = ctx;
    this.request = request;
    this.table = table;
    this.uri = request.uri();
    this.version = request.protocolVersion();
    this.clientAddress = clientAddress;
    this.maxBodyBytes = maxBodyBytes;
    String connection = request.headers().get(HttpHeaderNames.CONNECTION); // looked up once for both questions
    this.keepAlive = connection == null ? request.protocolVersion().isKeepAliveDefault()
        : HttpUtil.isKeepAlive(request);
    this.webSocket = connection != null && request.method() == HttpMethod.GET
        && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  public HttpRequest request() {
    return request;
  }

  /** The client's request header, or null. */
  public String header(CharSequence name) {
    return request.headers().get(name);
  }

  /** The HTTP version the client speaks. */
  public HttpVersion clientVersion() {
    return version;
  }

  public HttpMethod method() {
    return request.method();
  }

  /** The request target as sent (origin form; an absolute-form target keeps its scheme and host). */
  public String uri() {
    return uri;
  }

  /** The path with its query, without scheme and host for an absolute-form target. */
  public String pathAndQuery() {
    String uri = this.uri;
    if (uri.startsWith("/")) {
      return uri;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return uri; // "*" (OPTIONS) or garbage: passed on as it is
    }
    int slash = uri.indexOf('/', scheme + 3);
    int query = uri.indexOf('?', scheme + 3);
    if (slash < 0 || (query >= 0 && query < slash)) {
      return query < 0 ? "/" : "/" + uri.substring(query);
    }
    return uri.substring(slash);
  }

  /** The path without the query. */
  public String path() {
    if (path == null) {
      String pq = pathAndQuery();
      int q = pq.indexOf('?');
      path = q < 0 ? pq : pq.substring(0, q);
    }
    return path;
  }

  /** The host the client asked for (an absolute-form target's authority, else the Host header), port included. */
  public String host() {
    String uri = this.uri;
    if (!uri.startsWith("/")) {
      int scheme = uri.indexOf("://");
      if (scheme >= 0) {
        int start = scheme + 3;
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
          end++;
        }
        int at = uri.lastIndexOf('@', end - 1);
        return uri.substring(at >= start ? at + 1 : start, end);
      }
    }
    return request.headers().get(HttpHeaderNames.HOST);
  }

  public RouteTable table() {
    return table;
  }

  public long startNanos() {
    return startNanos;
  }

  public EventLoop eventLoop() {
    return ctx.channel().eventLoop();
  }

  public ActiveRoute route() {
    return route;
  }

  void route(ActiveRoute r) {
    this.route = r;
  }

  /** The route's id for logs and metrics ({@code none} before one matched). */
  public String routeLabel() {
    return route == null ? "none" : route.id();
  }

  /** Headers the filters want upstream; set over the client's (after its hop-by-hop ones are gone). */
  public UpstreamHeaders upstreamHeaders() {
    return upstreamHeaders;
  }

  public CharSequence traceId() {
    return traceId;
  }

  void traceId(CharSequence id) {
    this.traceId = id;
  }

  public String clientAddress() {
    return clientAddress;
  }

  /** Whether the client's connection is TLS (the gateway listener speaks plain HTTP). */
  public boolean isSsl() {
    return false;
  }

  public boolean isWebSocket() {
    return webSocket;
  }

  /** Whether the client keeps the connection open after this request (HTTP/1.1 default, HTTP/1.0 keep-alive). */
  public boolean keepAlive() {
    return keepAlive && !closeAfterResponse;
  }

  // ---- request body ----

  /** Whether the request announces a body (a Content-Length above zero, or chunked). */
  public boolean announcesBody() {
    return HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request);
  }

  /**
   * Called by the connection for each piece of the request body, in order. Kept up to the
   * body limit (past it the body is dropped and {@link #bodyOversize} turns true), dropped once
   * an answer was sent. A {@link LastHttpContent} ends the request.
   */
  public void bodyContent(HttpContent content) {
    try {
      ByteBuf data = content.content();
      if (!discardBody && !oversize && data.isReadable()) {
        long have = body == null ? 0 : body.readableBytes();
        if (have + data.readableBytes() > maxBodyBytes) {
          oversize = true;
          releaseBody();
        } else if (body == null) {
          body = data.retain();
        } else {
          CompositeByteBuf composite;
          if (body instanceof CompositeByteBuf c) {
            composite = c;
          } else {
            composite = ctx.alloc().compositeBuffer(64);
            composite.addComponent(true, body);
            body = composite;
          }
          composite.addComponent(true, data.retain());
        }
      }
      if (content instanceof LastHttpContent) {
        requestEnded = true;
      }
    } finally {
      ReferenceCountUtil.release(content);
    }
    if ((requestEnded || oversize) && bodyListener != null) {
      Runnable l = bodyListener;
      bodyListener = null;
      l.run();
    }
  }

  /** Runs {@code listener} once the whole body arrived or passed the limit (at once if that already happened). */
  void whenBodyDone(Runnable listener) {
    if (requestEnded || oversize) {
      listener.run();
    } else {
      bodyListener = listener;
    }
  }

  /** Stops waiting for the body (its listener will not run). */
  void stopWaitingForBody() {
    bodyListener = null;
  }

  public boolean requestEnded() {
    return requestEnded;
  }

  boolean bodyOversize() {
    return oversize;
  }

  /** The request body read so far (the whole body once {@link #requestEnded}); null when there is none. */
  public ByteBuf body() {
    return body;
  }

  /** Frees the body (at the end of the exchange; later pieces are dropped). */
  public void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  // ---- response ----

  /** Sees the end of an exchange (who answered, with what status). */
  public interface EndListener {
    void ended(Exchange exchange, Outcome outcome);
  }

  /** Runs {@code l} when the exchange ends; listeners run latest registered first. */
  public void onEnd(EndListener l) {
    if (endCount == endListeners.length) {
      endListeners = java.util.Arrays.copyOf(endListeners, endCount * 2);
    }
    endListeners[endCount++] = l;
  }

  /** Ends the exchange (the answer was sent, or will not be): once only, later calls are ignored. */
  public void complete(Outcome o) {
    if (outcome != null) {
      return;
    }
    outcome = o;
    for (int i = endCount - 1; i >= 0; i--) {
      endListeners[i].ended(this, o);
    }
  }

  /** Something went wrong in the gateway itself: 500 if nothing was answered yet, else the connection is cut. */
  public void fail(Throwable cause) {
    log.warn("request {} {} failed in the gateway", request.method(), uri, cause);
    if (headWritten) {
      abort();
      complete(new Outcome(500, null));
    } else {
      reply(500, "gateway error");
    }
  }

  /** Answers locally with a short text body and ends the exchange; once only (later calls keep the first answer). */
  public void reply(int status, String message, Map<String, String> headers) {
    if (!headWritten) {
      byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
      DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(text));
      HttpHeaders h = response.headers();
      headers.forEach(h::set);
      if (h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
        closeAfterResponse = true;
      }
      h.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      h.setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
      connectionHeader(response);
      headWritten = true;
      lastWrite = ctx.writeAndFlush(response);
    }
    discardBody = true;
    releaseBody();
    complete(new Outcome(status, null));
  }

  public void reply(int status, String message) {
    reply(status, message, Map.of());
  }

  /** Closes the connection once the answer was written (for an answer that says Connection: close). */
  void closeAfterResponse() {
    closeAfterResponse = true;
  }

  /** Sends a response head (hop-by-hop headers already removed) with this connection's Connection header. */
  public void sendHead(HttpResponse head) {
    connectionHeader(head);
    headWritten = true;
    ctx.write(head, ctx.voidPromise()); // a failed write reaches the connection's exceptionCaught, which closes it
  }

  /** Sends a piece of the response body; a {@link LastHttpContent} ends the response and is flushed. */
  public void sendContent(HttpContent content) {
    if (content instanceof LastHttpContent) {
      if (keepAlive()) {
        ctx.writeAndFlush(content, ctx.voidPromise());
      } else {
        lastWrite = ctx.writeAndFlush(content); // closeWhenWritten waits for it
      }
    } else {
      ctx.write(content, ctx.voidPromise());
    }
  }

  /**
   * Sends a whole answer, head and last body piece in one message (the encoder then writes a small
   * body into the head's buffer), and flushes. The head's hop-by-hop headers are already gone.
   */
  public void sendWhole(HttpResponse head, LastHttpContent last) {
    connectionHeader(head);
    headWritten = true;
    var whole = new io.netty.handler.codec.http.DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(),
        last.content(), head.headers(), last.trailingHeaders());
    if (keepAlive()) {
      ctx.writeAndFlush(whole, ctx.voidPromise());
    } else {
      lastWrite = ctx.writeAndFlush(whole); // closeWhenWritten waits for it
    }
  }

  /** Sends a complete response head and flushes (an upgrade's 101). */
  public void sendHeadAndFlush(HttpResponse head) {
    headWritten = true;
    lastWrite = ctx.writeAndFlush(head);
  }

  public void flush() {
    ctx.flush();
  }

  public boolean headWritten() {
    return headWritten;
  }

  /** Whether the client reads fast enough for more of the answer to be written now. */
  public boolean clientWritable() {
    return ctx.channel().isWritable();
  }

  /** Runs {@code r} the next time the client's connection turns writable again. */
  public void onClientWritable(Runnable r) {
    this.onWritable = r;
  }

  /** Runs {@code r} if the client's connection closes before the exchange ended. */
  public void onClientGone(Runnable r) {
    this.onClientGone = r;
  }

  /** Called by the connection when its writability changed. */
  public void writabilityChanged() {
    if (onWritable != null && ctx.channel().isWritable()) {
      Runnable r = onWritable;
      onWritable = null;
      r.run();
    }
  }

  /** Called by the connection when the client went away. */
  public void clientGone() {
    releaseBody();
    discardBody = true;
    if (onClientGone != null) {
      Runnable r = onClientGone;
      onClientGone = null;
      r.run();
    }
    if (bodyListener != null) { // waiting for a body that will not come: the listener sees it unfinished
      Runnable l = bodyListener;
      bodyListener = null;
      l.run();
    }
  }

  /** Cuts the client's connection (an answer failed after its head was sent: nothing else can tell the client). */
  public void abort() {
    ctx.close();
  }

  /** The client's channel context (for an upgrade, which takes the connection over). */
  public ChannelHandlerContext clientContext() {
    return ctx;
  }

  /** The connection was taken over (WebSocket): no further HTTP on it; its bytes go to {@code peer}. */
  public void upgraded(io.netty.channel.Channel peer) {
    this.tunnelPeer = peer;
  }

  /** The channel the client's bytes go to after an upgrade, or null. */
  public io.netty.channel.Channel tunnelPeer() {
    return tunnelPeer;
  }

  /** Closes the connection once everything written so far was sent. */
  public void closeWhenWritten() {
    if (lastWrite == null) { // nothing written with a future to wait on: an empty write queues behind the rest
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      lastWrite.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void connectionHeader(HttpResponse response) {
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    if (!keepAlive()) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      closeAfterResponse = true;
    } else if (version == HttpVersion.HTTP_1_0) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }
}
