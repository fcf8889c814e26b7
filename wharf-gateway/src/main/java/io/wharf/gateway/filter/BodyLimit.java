package io.wharf.gateway.filter;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the whole request body (kept in memory so a retry can send it again), up to the
 * connection's limit: a larger declared {@code Content-Length} answers 413 at once, a larger
 * streamed body 413 as soon as it passes the limit; a body not complete within
 * {@code timeoutMillis} (a slow client) answers 408. Both close the connection. A client that
 * expects {@code 100 Continue} gets it here, once the filters before agreed to the request.
 * WebSocket upgrades carry no body.
 */
final class BodyLimit implements Filter {
  private final long maxBytes;
  private final long timeoutMillis;

  BodyLimit(long maxBytes, long timeoutMillis) {
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    if (ex.isWebSocket() || ex.requestEnded() || !ex.announcesBody()) {
      return chain.proceed(ex);
    }
    long declared = HttpUtil.getContentLength(ex.request(), -1L);
    if (declared > maxBytes) {
      return closing(ex, 413, "request body of " + declared + " bytes is over the limit of " + maxBytes);
    }
    if (HttpUtil.is100ContinueExpected(ex.request())) {
      ex.clientContext().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
    Promise<Outcome> done = Promise.promise();
    ScheduledFuture<?> timer = ex.eventLoop().schedule(() -> {
      ex.stopWaitingForBody();
      closing(ex, 408, "request body not received within " + timeoutMillis + "ms").onComplete(done);
    }, timeoutMillis, TimeUnit.MILLISECONDS);
    ex.whenBodyDone(() -> {
      timer.cancel(false);
      if (ex.bodyOversize()) {
        closing(ex, 413, "request body is over the limit of " + maxBytes + " bytes").onComplete(done);
      } else if (ex.requestEnded()) {
        chain.proceed(ex).onComplete(done);
      } else {
        done.complete(new Outcome(400, null)); // the client went away mid-body
      }
    });
    return done.future();
  }

  /** Answers and closes the connection (once the client stopped sending, or after a second). */
  private static Future<Outcome> closing(Exchange ex, int status, String message) {
    return ex.reply(status, message, Map.of("Connection", "close"));
  }
}
