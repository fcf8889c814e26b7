package io.wharf.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * Reads the request body into memory (so a retry can send it again), up to {@code maxBytes}:
 * a larger declared {@code Content-Length} answers 413 at once, a larger streamed body 413 as
 * soon as it passes the limit; a body not complete within {@code timeoutMillis} (a slow
 * client) answers 408. Both close the connection. WebSocket upgrades carry no body.
 */
final class BodyLimit implements Filter {
  private final Vertx vertx;
  private final long maxBytes;
  private final long timeoutMillis;

  BodyLimit(Vertx vertx, long maxBytes, long timeoutMillis) {
    this.vertx = vertx;
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    var request = ex.request();
    if (ex.isWebSocket() || request.isEnded()) {
      return chain.proceed(ex);
    }
    String length = request.getHeader("content-length");
    if (length == null && request.getHeader("transfer-encoding") == null
        && request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      request.resume(); // HTTP/1.1 without either header has no body: nothing to read or time
      return chain.proceed(ex);
    }
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        return closing(ex, 400, "invalid Content-Length");
      }
      if (declared > maxBytes) {
        return closing(ex, 413, "request body of " + declared + " bytes is over the limit of " + maxBytes);
      }
    }
    Promise<Buffer> read = Promise.promise();
    Buffer body = Buffer.buffer();
    long timer = vertx.setTimer(timeoutMillis, id -> read.tryFail("timeout"));
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        read.tryFail("oversize");
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> read.tryComplete(body));
    request.exceptionHandler(read::tryFail);
    request.resume();
    return read.future().transform(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        ex.body(ar.result());
        return chain.proceed(ex);
      }
      String why = ar.cause().getMessage();
      if ("oversize".equals(why)) {
        return closing(ex, 413, "request body is over the limit of " + maxBytes + " bytes");
      }
      if ("timeout".equals(why)) {
        return closing(ex, 408, "request body not received within " + timeoutMillis + "ms");
      }
      return Future.succeededFuture(new Outcome(400, null)); // the client went away mid-body
    });
  }

  /** Answers, then closes the connection once the client stopped sending (or after a second). */
  private Future<Outcome> closing(Exchange ex, int status, String message) {
    var request = ex.request();
    var connection = request.connection();
    request.handler(chunk -> { }); // discard what still arrives, so the answer is not lost to a reset
    request.endHandler(v -> connection.close());
    vertx.setTimer(1000, id -> connection.close());
    return ex.reply(status, message, Map.of("Connection", "close"));
  }
}
