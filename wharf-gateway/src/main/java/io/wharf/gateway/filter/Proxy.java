package io.wharf.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.wharf.gateway.metrics.GatewayMetrics;
import io.wharf.gateway.routing.ActiveRoute;
import io.wharf.gateway.upstream.RetryBudget;
import io.wharf.gateway.upstream.Upstream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The last filter: sends the request to an endpoint of the route and streams the answer back.
 *
 * <p>Per attempt: pick an endpoint (weights, balancer, breakers, ejection), take a breaker
 * permit, send with the route's timeout. A failed attempt (no connection, reset, timeout, or a
 * 502/503/504 answer) counts against the endpoint and is retried on another endpoint when the
 * route allows more attempts, the method is idempotent (or the route says any method may be
 * retried) and the retry budget has room. The last failure answers 502 (504 for a timeout; 503
 * when no endpoint is available). Once the answer's head is sent to the client nothing is
 * retried.
 */
final class Proxy implements Filter {
  private static final String[] HOP_BY_HOP_LIST = {"connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length"};
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
      HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

  private final Vertx vertx;
  private final HttpClient client;
  private final WebSocketClient webSockets;
  private final RetryBudget budget;
  private final GatewayMetrics metrics;
  private final Deadlines deadlines;

  Proxy(Vertx vertx, HttpClient client, WebSocketClient webSockets, RetryBudget budget, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.client = client;
    this.webSockets = webSockets;
    this.budget = budget;
    this.metrics = metrics;
    this.deadlines = new Deadlines(vertx);
  }

  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    if (ex.isWebSocket()) {
      return webSocket(ex);
    }
    budget.requested(System.nanoTime());
    Promise<Outcome> done = Promise.promise();
    attempt(ex, 0, Set.of(), null, done);
    return done.future();
  }

  private void attempt(Exchange ex, int retriesSoFar, Set<Upstream> tried, String lastFailure, Promise<Outcome> done) {
    ActiveRoute route = ex.route();
    Upstream upstream = null;
    while (true) {
      upstream = route.pick(tried, System.nanoTime());
      if (upstream == null && lastFailure != null && !tried.isEmpty()) {
        upstream = route.pick(Set.of(), System.nanoTime()); // a retry may go back to an endpoint already tried
        tried = new HashSet<>();
      }
      if (upstream == null || upstream.breaker().tryAcquirePermission()) {
        break;
      }
      tried = mutable(tried);
      tried.add(upstream); // half-open and its probe permits are taken: try another
    }
    if (upstream == null) {
      if (lastFailure == null) {
        done.complete(ex.reply(503, "no available endpoint for route " + route.id()).result());
      } else {
        done.complete(ex.reply(lastFailure.equals("timeout") ? 504 : 502,
            "upstream failed (" + lastFailure + ")").result());
      }
      return;
    }
    Upstream u = upstream;
    Set<Upstream> triedNow = tried;
    long start = System.nanoTime();
    u.started();
    long timeoutMs = route.spec().timeout().toMillis();
    RequestOptions options = new RequestOptions()
        .setMethod(ex.request().method())
        .setHost(u.endpoint().host())
        .setPort(u.endpoint().port())
        .setURI(route.upstreamUri(ex.request().uri()))
        .setConnectTimeout(Math.min(timeoutMs, 5_000));
    boolean[] timedOut = new boolean[1];
    client.request(options).compose(req -> {
      copyHeaders(ex, req.headers());
      Deadlines.Deadline deadline = deadlines.add(timeoutMs, () -> {
        timedOut[0] = true;
        req.reset(0, new TimeoutException("no answer within " + timeoutMs + "ms"));
      });
      Buffer body = ex.body();
      Future<HttpClientResponse> sent = body == null ? req.send() : req.send(body);
      sent.onComplete(ar -> deadline.cancel());
      return sent;
    }).onComplete(ar -> {
      long elapsed = System.nanoTime() - start;
      if (ar.succeeded() && !retryableStatus(ar.result().statusCode())) {
        HttpClientResponse resp = ar.result();
        if (resp.statusCode() >= 500) {
          u.failed(elapsed, new IllegalStateException("status " + resp.statusCode()), System.nanoTime());
          metrics.upstreamError(route.id(), "status");
        } else {
          u.succeeded(elapsed);
        }
        stream(ex, resp).onComplete(s -> {
          u.finished();
          done.complete(new Outcome(resp.statusCode(), u.address()));
        });
        return;
      }
      String reason;
      if (ar.succeeded()) {
        reason = "status " + ar.result().statusCode();
        ar.result().body(); // drain, so the connection goes back to the pool
        metrics.upstreamError(route.id(), "status");
      } else {
        reason = timedOut[0] ? "timeout" : ar.cause() instanceof java.net.ConnectException ? "connect" : "reset";
        metrics.upstreamError(route.id(), reason);
      }
      u.failed(elapsed, ar.failed() ? ar.cause() : new IllegalStateException(reason), System.nanoTime());
      u.finished();
      if (mayRetry(ex, retriesSoFar)) {
        metrics.retry(route.id());
        Set<Upstream> retryTried = mutable(triedNow);
        retryTried.add(u);
        attempt(ex, retriesSoFar + 1, retryTried, reason, done);
      } else if (ar.succeeded()) {
        // out of attempts: pass the upstream's own 502/503/504 on
        done.complete(ex.reply(ar.result().statusCode(), "upstream answered " + ar.result().statusCode()).result());
      } else {
        done.complete(ex.reply(timedOut[0] ? 504 : 502, "upstream failed (" + reason + ")").result());
      }
    });
  }

  /** The first attempt uses an empty immutable set (most requests never retry); copied on first change. */
  private static Set<Upstream> mutable(Set<Upstream> tried) {
    return tried instanceof HashSet<Upstream> h ? h : new HashSet<>(tried);
  }

  private static boolean retryableStatus(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  private boolean mayRetry(Exchange ex, int retriesSoFar) {
    ActiveRoute route = ex.route();
    return retriesSoFar < route.spec().retries()
        && (IDEMPOTENT.contains(ex.request().method()) || route.spec().retryNonIdempotent())
        && budget.tryRetry(System.nanoTime());
  }

  /** The client's end-to-end headers and what the filters added, into {@code out} (the upstream request's own). */
  private static void copyHeaders(Exchange ex, MultiMap out) {
    String connection = ex.request().getHeader("connection");
    Set<String> named = connection == null ? Set.of() : connectionTokens(connection);
    // forEach(BiConsumer), not the entry iterator: Vert.x wraps every entry it iterates
    ex.request().headers().forEach((n, v) -> {
      if (!isHopByHop(n) && (named.isEmpty() || !named.contains(n.toLowerCase(Locale.ROOT)))) {
        out.add(n, v);
      }
    });
    ex.upstreamHeaders().forEach(out::set);
  }

  private static Set<String> connectionTokens(String connection) {
    Set<String> named = new HashSet<>();
    for (String n : connection.split(",")) {
      named.add(n.trim().toLowerCase(Locale.ROOT));
    }
    return named;
  }

  /** Whether {@code name} is one of {@link #HOP_BY_HOP_LIST}, ignoring case, without allocating. */
  static boolean isHopByHop(String name) {
    for (String h : HOP_BY_HOP_LIST) {
      if (h.length() == name.length() && h.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static Future<Void> stream(Exchange ex, HttpClientResponse resp) {
    var response = ex.request().response();
    response.setStatusCode(resp.statusCode());
    if (resp.statusMessage() != null) {
      response.setStatusMessage(resp.statusMessage());
    }
    MultiMap out = response.headers();
    for (var e : resp.headers()) {
      String n = e.getKey();
      if (!isHopByHop(n) || n.equalsIgnoreCase("content-length")) {
        out.add(n, e.getValue());
      }
    }
    if (resp.getHeader("content-length") == null && ex.request().method() != HttpMethod.HEAD
        && resp.statusCode() != 204 && resp.statusCode() != 304) {
      response.setChunked(true);
    }
    return resp.pipeTo(response);
  }

  /** Upgrades to WebSocket on both sides and relays messages until either side closes. */
  private Future<Outcome> webSocket(Exchange ex) {
    ActiveRoute route = ex.route();
    Upstream u = route.pick(Set.of(), System.nanoTime());
    if (u == null) {
      return ex.reply(503, "no available endpoint for route " + route.id());
    }
    var request = ex.request();
    request.pause();
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(u.endpoint().host()).setPort(u.endpoint().port()).setURI(route.upstreamUri(request.uri()));
    ex.upstreamHeaders().forEach(e -> options.addHeader(e.getKey(), e.getValue()));
    String protocols = request.getHeader("sec-websocket-protocol");
    if (protocols != null) {
      for (String p : protocols.split(",")) {
        options.addSubProtocol(p.trim());
      }
    }
    return webSockets.connect(options).transform(ar -> {
      if (ar.failed()) {
        request.resume();
        metrics.upstreamError(route.id(), "connect");
        return ex.reply(502, "upstream WebSocket failed: " + ar.cause().getMessage());
      }
      WebSocket up = ar.result();
      return request.toWebSocket().map(down -> {
        relay(down, up);
        relay(up, down);
        return new Outcome(101, u.address());
      });
    });
  }

  private static void relay(io.vertx.core.http.WebSocketBase from, io.vertx.core.http.WebSocketBase to) {
    from.textMessageHandler(to::writeTextMessage);
    from.binaryMessageHandler(to::writeBinaryMessage);
    from.closeHandler(v -> {
      if (!to.isClosed()) {
        to.close();
      }
    });
  }
}
