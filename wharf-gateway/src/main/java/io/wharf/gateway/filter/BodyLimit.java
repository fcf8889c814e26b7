package io.wharf.gateway.filter;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
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
  public void apply(Exchange ex, Chain chain) {
    if (ex.isWebSocket() || ex.requestEnded() || !ex.announcesBody()) {
      chain.proceed(ex);
      return;
    }
    long declared = HttpUtil.getContentLength(ex.request(), -1L);
    if (declared > maxBytes) {
      closing(ex, 413, "request body of " + declared + " bytes is over the limit of " + maxBytes);
      return;
    }
    if (HttpUtil.is100ContinueExpected(ex.request())) {
      ex.clientContext().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
    ScheduledFuture<?> timer = ex.eventLoop().schedule(() -> {
      ex.stopWaitingForBody();
      closing(ex, 408, "request body not received within " + timeoutMillis + "ms");
    }, timeoutMillis, TimeUnit.MILLISECONDS);
    ex.whenBodyDone(() -> {
      timer.cancel(false);
      if (ex.bodyOversize()) {
        closing(ex, 413, "request body is over the limit of " + maxBytes + " bytes");
      } else if (ex.requestEnded()) {
        chain.proceed(ex);
      } else {
        ex.complete(new Outcome(400, null)); // the client went away mid-body
      }
    });
  }

  /** Answers and closes the connection (once the client stopped sending, or after a second). */
  private static void closing(Exchange ex, int status, String message) {
    ex.reply(status, message, Map.of("Connection", "close"));
  }
}
