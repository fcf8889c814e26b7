package io.wharf.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.wharf.gateway.routing.ActiveRoute;
import io.wharf.gateway.routing.RouteTable;
import java.util.Map;

/**
 * One request on its way through the pipeline: the client's request, the route table it
 * started with, and what filters add (the route, the body, the headers for upstream, the trace).
 * Confined to the connection's event loop.
 */
public final class Exchange {
  private final HttpServerRequest request;
  private final RouteTable table;
  private final long startNanos = System.nanoTime();
  private final MultiMap upstreamHeaders = MultiMap.caseInsensitiveMultiMap();
  private ActiveRoute route;
  private Buffer body; // null: no body was read
  private String traceId = "-";

  public Exchange(HttpServerRequest request, RouteTable table) {
    this.request = request;
    this.table = table;
  }

  public HttpServerRequest request() {
    return request;
  }

  public RouteTable table() {
    return table;
  }

  public long startNanos() {
    return startNanos;
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

  /** The request body BodyLimit read, or null when the request has none. */
  public Buffer body() {
    return body;
  }

  void body(Buffer b) {
    this.body = b;
  }

  /** Headers to send upstream (filters add to them; the proxy copies the client's first). */
  public MultiMap upstreamHeaders() {
    return upstreamHeaders;
  }

  public String traceId() {
    return traceId;
  }

  void traceId(String id) {
    this.traceId = id;
  }

  public String clientAddress() {
    return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
  }

  public boolean isWebSocket() {
    return request.canUpgradeToWebSocket();
  }

  /** Answers locally with a short text body; once only (later calls keep the first answer). */
  public Future<Outcome> reply(int status, String message, Map<String, String> headers) {
    var response = request.response();
    if (!response.ended() && !response.headWritten()) {
      response.setStatusCode(status);
      headers.forEach(response::putHeader);
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.end(message + "\n");
    }
    if (!request.isEnded()) {
      request.resume(); // let an unread body drain so the connection can be reused
    }
    return Future.succeededFuture(new Outcome(status, null));
  }

  public Future<Outcome> reply(int status, String message) {
    return reply(status, message, Map.of());
  }
}
