package io.wharf.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a client may take to send a request head (request line and headers), like
 * nginx's {@code client_header_timeout}: a client trickling its headers would otherwise hold the
 * connection until the idle timeout, which any byte resets.
 *
 * <p>The clock starts when the connection opens and, on a kept-alive connection, at the first
 * byte of each later request (the wait between requests is the idle timeout's business). When
 * the head is not complete in time the connection answers 408 (if the client sent something)
 * and closes. Two Netty handlers around the HTTP/1 decoder share the state: the one before
 * it sees bytes arrive, the one after it sees a head complete ({@link HttpRequest}) and a
 * request end ({@link LastHttpContent}). Everything runs on the connection's event loop.
 */
final class HeaderDeadline {
  private static final byte[] TIMEOUT_ANSWER = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
      + "Content-Length: 31\r\nConnection: close\r\n\r\nrequest head not received in time\n").getBytes(StandardCharsets.US_ASCII);

  private static final String BYTES = "wharf-head-bytes";
  private static final String DONE = "wharf-head-done";

  private final long timeoutNanos;
  private ScheduledFuture<?> timer;
  private boolean running;
  private long headStartNanos;
  private boolean awaitingHead = true;
  private boolean bytesSeen;

  private HeaderDeadline(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /** Puts the deadline around the HTTP codec named {@code codec} on {@code pipeline} and starts it. */
  static void install(ChannelPipeline pipeline, String codec, long timeoutNanos) {
    HeaderDeadline d = new HeaderDeadline(timeoutNanos);
    pipeline.addBefore(codec, BYTES, d.new BytesSeen());
    pipeline.addAfter(codec, DONE, d.new HeadSeen());
    d.start(pipeline.context(BYTES));
  }

  /** Takes the deadline off {@code pipeline} (the connection left HTTP). */
  static void remove(ChannelPipeline pipeline) {
    if (pipeline.get(BYTES) != null) {
      ((BytesSeen) pipeline.remove(BYTES)).stopDeadline();
    }
    if (pipeline.get(DONE) != null) {
      pipeline.remove(DONE);
    }
  }

  /**
   * Starts the clock for a head (if not running). One timer per connection at most: when it fires
   * early for a later head it is set again for what is left, so a request costs no timer of its
   * own (setting and cancelling a scheduled task per request showed in profiles).
   */
  private void start(ChannelHandlerContext bytesContext) {
    if (!running) {
      running = true;
      headStartNanos = System.nanoTime();
    }
    if (timer == null) {
      timer = bytesContext.executor().schedule(() -> check(bytesContext), timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The head is complete: the clock stops (a pending timer finds nothing to do). */
  private void stop() {
    running = false;
  }

  /** The connection is done with heads for good. */
  private void cancel() {
    running = false;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void check(ChannelHandlerContext bytesContext) {
    timer = null;
    if (!running || !bytesContext.channel().isActive()) {
      return;
    }
    long left = headStartNanos + timeoutNanos - System.nanoTime();
    if (left > 0) {
      timer = bytesContext.executor().schedule(() -> check(bytesContext), left, TimeUnit.NANOSECONDS);
      return;
    }
    expire(bytesContext);
  }

  private void expire(ChannelHandlerContext bytesContext) {
    if (!awaitingHead) {
      return;
    }
    if (!bytesSeen) {
      bytesContext.close(); // opened but never sent anything: nobody to answer
      return;
    }
    // Written from before the decoder, so it passes no HTTP encoder: nothing was answered yet.
    bytesContext.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_ANSWER)).addListener(ChannelFutureListener.CLOSE);
  }

  /** Before the decoder: the first bytes of a head start its clock. */
  private final class BytesSeen extends ChannelDuplexHandler {
    void stopDeadline() {
      cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (awaitingHead && msg instanceof ByteBuf b && b.isReadable()) {
        bytesSeen = true;
        start(ctx);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      cancel();
      ctx.fireChannelInactive();
    }
  }

  /** After the decoder: a complete head stops the clock; the end of a request readies it for the next. */
  private final class HeadSeen extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof HttpRequest) {
        awaitingHead = false;
        stop();
      }
      if (msg instanceof LastHttpContent) {
        awaitingHead = true; // the next bytes begin the next request
        bytesSeen = false;
      }
      ctx.fireChannelRead(msg);
    }
  }
}
