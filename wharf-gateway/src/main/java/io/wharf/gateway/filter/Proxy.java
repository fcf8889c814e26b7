package io.wharf.gateway.filter;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.wharf.gateway.metrics.GatewayMetrics;
import io.wharf.gateway.routing.ActiveRoute;
import io.wharf.gateway.upstream.ConnectionPool;
import io.wharf.gateway.upstream.RetryBudget;
import io.wharf.gateway.upstream.Upstream;
import io.wharf.gateway.upstream.UpstreamConnection;
import java.net.ConnectException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The last filter: sends the request to an endpoint of the route and streams the answer back.
 *
 * <p>Per attempt: pick an endpoint (weights, balancer, breakers, ejection), take a breaker
 * permit, send on a kept-alive connection of this event loop with the route's timeout (which
 * covers waiting for a connection and for the answer's head). A failed attempt (no connection,
 * reset, timeout, or a 502/503/504 answer) counts against the endpoint and is retried on another
 * endpoint when the route allows more attempts, the method is idempotent (or the route says any
 * method may be retried) and the retry budget has room. The last failure answers 502 (504 for a
 * timeout; 503 when no endpoint is available). Once the answer's head is sent to the client
 * nothing is retried.
 *
 * <p>The request goes upstream with the client's own header object, minus hop-by-hop headers,
 * plus what the filters set; the answer's head and body pieces go to the client as Netty decoded
 * them, with back-pressure (a client that reads slowly pauses reading from upstream). A
 * WebSocket upgrade gets a connection of its own; on {@code 101} both connections leave HTTP and
 * their bytes are relayed unchanged.
 */
final class Proxy implements Filter {
  /** Request headers that describe one connection, not the request (RFC 9110 §7.6.1), and ones the proxy sets itself. */
  private static final CharSequence[] REQUEST_HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.HOST,
      HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.EXPECT, HeaderNames.PROXY_CONNECTION};
  /** Answer headers about the upstream connection (framing headers stay: the encoder frames the body the same way). */
  private static final CharSequence[] RESPONSE_HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HeaderNames.PROXY_CONNECTION};
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
      HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

  private final ConnectionPool pool;
  private final Deadlines deadlines;
  private final RetryBudget budget;
  private final GatewayMetrics metrics;

  Proxy(ConnectionPool pool, Deadlines deadlines, RetryBudget budget, GatewayMetrics metrics) {
    this.pool = pool;
    this.deadlines = deadlines;
    this.budget = budget;
    this.metrics = metrics;
  }

  @Override
  public void apply(Exchange ex, Chain chain) {
    if (!ex.isWebSocket()) {
      budget.requested(System.nanoTime());
    }
    new Call(ex).attempt(null);
  }

  /** One request's attempts. */
  private final class Call {
    private final Exchange ex;
    private final ActiveRoute route;
    private final boolean webSocket;
    private Set<Upstream> tried = Set.of(); // the first attempt's is empty and immutable: most requests never retry
    private int retries;
    private boolean headersReady;
    private boolean announcedBody;

    Call(Exchange ex) {
      this.ex = ex;
      this.route = ex.route();
      this.webSocket = ex.isWebSocket();
    }

    void attempt(String lastFailure) {
      Upstream upstream;
      while (true) {
        long now = System.nanoTime();
        upstream = route.pick(tried, now);
        if (upstream == null && lastFailure != null && !tried.isEmpty()) {
          upstream = route.pick(Set.of(), now); // a retry may go back to an endpoint already tried
          tried = new HashSet<>();
        }
        if (upstream == null || upstream.breaker().tryAcquirePermission()) {
          break;
        }
        mutableTried().add(upstream); // half-open and its probe permits are taken: try another
      }
      if (upstream == null) {
        if (lastFailure == null) {
          ex.reply(503, "no available endpoint for route " + route.id());
        } else {
          ex.reply(lastFailure.equals("timeout") ? 504 : 502, "upstream failed (" + lastFailure + ")");
        }
        return;
      }
      new Attempt(this, upstream).start();
    }

    Set<Upstream> mutableTried() {
      if (!(tried instanceof HashSet<Upstream>)) {
        tried = new HashSet<>(tried);
      }
      return tried;
    }

    boolean mayRetry() {
      return !webSocket && retries < route.spec().retries()
          && (IDEMPOTENT.contains(ex.method()) || route.spec().retryNonIdempotent())
          && budget.tryRetry(System.nanoTime());
    }

    /** The request head for {@code u}: the client's headers (hop-by-hop ones removed once) plus the filters'. */
    HttpRequest requestFor(Upstream u) {
      HttpHeaders h = ex.request().headers();
      if (!headersReady) {
        headersReady = true;
        announcedBody = h.contains(HttpHeaderNames.CONTENT_LENGTH) || h.contains(HttpHeaderNames.TRANSFER_ENCODING);
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
          for (String name : connection.split(",")) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (!n.isEmpty() && !n.equals("close") && !n.equals("keep-alive") && !n.equals("upgrade")) {
              h.remove(n);
            }
          }
        }
        for (CharSequence n : REQUEST_HOP_BY_HOP) {
          h.remove(n);
        }
        ex.upstreamHeaders().applyTo(h);
        if (webSocket) {
          h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
          h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
      }
      h.set(HttpHeaderNames.HOST, u.address());
      ByteBuf body = ex.body();
      if (body != null) {
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      } else if (announcedBody) {
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      }
      HttpRequest upstream = ex.request(); // the decoded head goes on as it is, with the endpoint's target
      upstream.setProtocolVersion(HttpVersion.HTTP_1_1);
      upstream.setUri(route.upstreamUri(ex.pathAndQuery()));
      return upstream;
    }
  }

  private enum Phase { CONNECTING, AWAITING_HEAD, STREAMING, DRAINING, TUNNEL, OVER }

  /** One attempt on one endpoint: gets a connection, sends, and passes the answer on (or fails). */
  private final class Attempt extends Deadlines.Deadline
      implements ConnectionPool.Acquired, UpstreamConnection.ResponseListener {
    private final Call call;
    private final Exchange ex;
    private final Upstream u;
    private final long startNanos = System.nanoTime();
    private UpstreamConnection conn;
    private Phase phase = Phase.CONNECTING;
    private boolean timedOut;
    private int status;
    private HttpResponse pendingHead; // the answer's head, held back until its body's first piece or the read's end

    Attempt(Call call, Upstream u) {
      this.call = call;
      this.ex = call.ex;
      this.u = u;
    }

    void start() {
      u.started();
      long timeoutMs = call.route.spec().timeout().toMillis();
      deadlines.add(this, timeoutMs); // covers waiting for a connection and for the answer's head
      int connectTimeout = (int) Math.min(timeoutMs, 5_000);
      if (call.webSocket) {
        pool.connectOwn(u, connectTimeout, this);
      } else {
        pool.acquire(u, connectTimeout, this);
      }
    }

    @Override
    public void acquired(UpstreamConnection c) {
      if (phase != Phase.CONNECTING) { // timed out while connecting: someone else may use it
        pool.release(c);
        return;
      }
      conn = c;
      phase = Phase.AWAITING_HEAD;
      ex.onClientGone(this::clientGone);
      c.send(call.requestFor(u), ex.body(), this);
    }

    @Override
    public void head(HttpResponse head) {
      cancel();
      status = head.status().code();
      long elapsed = System.nanoTime() - startNanos;
      if (call.webSocket && status == 101) {
        tunnel(head);
        return;
      }
      if (retryableStatus(status)) {
        phase = Phase.DRAINING; // read the rest so the connection can be reused, while the call goes on
        metrics.upstreamError(call.route.id(), "status");
        failedAttempt("status " + status, new IllegalStateException("status " + status), elapsed);
        return;
      }
      if (status >= 500) {
        u.failed(elapsed, new IllegalStateException("status " + status), System.nanoTime());
        metrics.upstreamError(call.route.id(), "status");
      } else {
        u.succeeded(elapsed);
      }
      phase = Phase.STREAMING;
      prepare(head);
      pendingHead = head; // sent with the body's last piece when it comes in the same read (one message, one buffer)
    }

    /** Sends the answer's head if it is still held back. */
    private void sendPendingHead() {
      if (pendingHead != null) {
        ex.sendHead(pendingHead);
        pendingHead = null;
      }
    }

    /** Makes the upstream's answer head the client's: hop-by-hop headers out, framing for this client. */
    private void prepare(HttpResponse head) {
      HttpHeaders h = head.headers();
      String connection = h.get(HttpHeaderNames.CONNECTION);
      if (connection != null) {
        for (String name : connection.split(",")) {
          String n = name.trim().toLowerCase(Locale.ROOT);
          if (!n.isEmpty() && !n.equals("close") && !n.equals("keep-alive")) {
            h.remove(n);
          }
        }
      }
      for (CharSequence n : RESPONSE_HOP_BY_HOP) {
        h.remove(n);
      }
      boolean bodyless = ex.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
      boolean http10Client = ex.clientVersion() == HttpVersion.HTTP_1_0;
      if (!bodyless && HttpUtil.isTransferEncodingChunked(head) && http10Client) {
        h.remove(HttpHeaderNames.TRANSFER_ENCODING); // HTTP/1.0 has no chunks: the end of the body is the close
        ex.closeAfterResponse();
      } else if (!bodyless && !HttpUtil.isContentLengthSet(head) && !HttpUtil.isTransferEncodingChunked(head)) {
        if (http10Client) {
          ex.closeAfterResponse();
        } else {
          HttpUtil.setTransferEncodingChunked(head, true); // upstream ends its body by closing: chunk it for the client
        }
      }
    }

    @Override
    public void content(HttpContent content) {
      switch (phase) {
        case STREAMING -> {
          boolean last = content instanceof LastHttpContent;
          if (last && pendingHead != null) {
            ex.sendWhole(pendingHead, (LastHttpContent) content);
            pendingHead = null;
          } else {
            sendPendingHead();
            ex.sendContent(content);
          }
          if (last) {
            end();
          } else if (!ex.clientWritable()) {
            conn.setAutoRead(false);
            ex.onClientWritable(() -> conn.setAutoRead(true));
          }
        }
        case DRAINING -> {
          content.release();
          if (content instanceof LastHttpContent) {
            phase = Phase.OVER;
            pool.release(conn);
          }
        }
        default -> content.release();
      }
    }

    @Override
    public void readComplete() {
      if (phase == Phase.STREAMING) {
        sendPendingHead();
        ex.flush();
      }
    }

    /** The answer went out whole. */
    private void end() {
      phase = Phase.OVER;
      ex.onClientGone(null);
      ex.onClientWritable(null);
      conn.setAutoRead(true);
      if (call.webSocket) {
        conn.close();
      } else {
        pool.release(conn);
      }
      u.finished();
      ex.complete(new Outcome(status, u.address()));
    }

    @Override
    public void failed(Throwable cause) {
      switch (phase) {
        case CONNECTING, AWAITING_HEAD -> {
          String reason = timedOut ? "timeout"
              : conn == null && (cause instanceof ConnectException || cause instanceof ConnectTimeoutException)
                  ? "connect" : "reset";
          cancel();
          metrics.upstreamError(call.route.id(), reason);
          failedAttempt(reason, cause, System.nanoTime() - startNanos);
        }
        case STREAMING -> {
          phase = Phase.OVER;
          if (pendingHead != null) { // nothing reached the client yet: it can still be told
            pendingHead = null;
            u.finished();
            metrics.upstreamError(call.route.id(), "reset");
            ex.reply(502, "upstream failed (reset)");
            return;
          }
          // the head is out: nothing left to tell the client but a cut connection
          ex.abort();
          u.finished();
          ex.complete(new Outcome(status, u.address()));
        }
        default -> phase = Phase.OVER;
      }
    }

    @Override
    void expired() {
      timedOut = true;
      if (conn != null) {
        conn.close(); // fails the attempt through failed(): "timeout"
      } else if (phase == Phase.CONNECTING) {
        pool.cancel(u, this);
        metrics.upstreamError(call.route.id(), "timeout");
        failedAttempt("timeout", new java.util.concurrent.TimeoutException("no connection"),
            System.nanoTime() - startNanos);
      }
    }

    /** The client went away while this attempt was under way: the upstream connection cannot be reused. */
    private void clientGone() {
      if (phase == Phase.AWAITING_HEAD || phase == Phase.STREAMING) {
        phase = Phase.OVER;
        cancel();
        conn.close();
        u.finished();
        ex.complete(new Outcome(status == 0 ? 499 : status, u.address()));
      }
    }

    /** Counts the failure against the endpoint, then retries or answers. */
    private void failedAttempt(String reason, Throwable cause, long elapsedNanos) {
      if (phase != Phase.DRAINING) {
        phase = Phase.OVER;
      }
      ex.onClientGone(null);
      u.failed(elapsedNanos, cause, System.nanoTime());
      u.finished();
      if (call.mayRetry()) {
        metrics.retry(call.route.id());
        call.retries++;
        call.mutableTried().add(u);
        call.attempt(reason);
      } else if (reason.startsWith("status ")) {
        ex.reply(status, "upstream answered " + status); // out of attempts: its own 5xx
      } else {
        ex.reply(timedOut ? 504 : 502, "upstream failed (" + reason + ")");
      }
    }

    /** 101 from upstream: the client gets the same answer, and both connections become one tunnel. */
    private void tunnel(HttpResponse head) {
      phase = Phase.TUNNEL;
      u.succeeded(System.nanoTime() - startNanos);
      u.finished();
      ex.onClientGone(null);
      ex.sendHeadAndFlush(head);
      ex.upgraded(conn.channel());
      conn.upgrade(ex.clientContext().channel());
      ex.complete(new Outcome(101, u.address()));
    }
  }

  private static boolean retryableStatus(int status) {
    return status == 502 || status == 503 || status == 504;
  }
}
