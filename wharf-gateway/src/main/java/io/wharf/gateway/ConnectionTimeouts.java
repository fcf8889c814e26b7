package io.wharf.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The client connection's two clocks, in one handler in front of the HTTP decoder:
 *
 * <ul>
 *   <li><b>header timeout</b> (nginx's {@code client_header_timeout}): a request head (request
 *       line and headers) must be complete within {@code headTimeout} of its first byte (of the
 *       connection opening, for the first request); a client trickling its headers would
 *       otherwise hold the connection until the idle timeout, which any byte resets. When it
 *       runs out the connection answers 408 (if the client sent something) and closes.</li>
 *   <li><b>idle timeout</b>: a connection that neither read nor wrote anything for
 *       {@code idleTimeout} closes (a client gone silent, or one that stopped reading an answer:
 *       back-pressure then stops the writes too).</li>
 * </ul>
 *
 * <p>The decoder's reader, {@link ClientConnection}, says when a head is complete and when a
 * request ended. One timer per connection at most, set for the nearer deadline and set again
 * when it fires early: a request costs no timer of its own (setting and cancelling a scheduled
 * task per request, or a listener on every write as Netty's IdleStateHandler adds, showed in
 * profiles); reads and writes only set a flag, which the next check turns into a time, checked every half
 * idle period, so a connection is closed between one and one and a half idle timeouts after its
 * last activity.
 * Confined to the connection's event loop.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {
  static final String NAME = "wharf-timeouts";
  private static final byte[] HEAD_TIMEOUT_ANSWER = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
      + "Content-Length: 34\r\nConnection: close\r\n\r\nrequest head not received in time\n").getBytes(StandardCharsets.US_ASCII);

  private final long headNanos;
  private final long idleNanos; // 0: none
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  private boolean awaitingHead = true;
  private boolean headClock;
  private boolean bytesSeen;
  private long headStart;
  private long lastActivity; // as of the last check that saw activity (reads and writes only set a flag)
  private boolean active;
  private boolean stopped;

  ConnectionTimeouts(long headNanos, long idleNanos) {
    this.headNanos = headNanos;
    this.idleNanos = idleNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    lastActivity = System.nanoTime();
    headClock = true; // the first request's head is timed from the connection's start
    headStart = lastActivity;
    schedule(Math.min(headNanos, idleNanos > 0 ? idleNanos : Long.MAX_VALUE));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf b && b.isReadable()) {
      active = true;
      if (awaitingHead) {
        bytesSeen = true;
        if (!headClock) {
          headClock = true;
          headStart = System.nanoTime();
        }
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    active = true;
    ctx.write(msg, promise);
  }

  /** A request head was decoded: its clock stops. */
  void headReceived() {
    awaitingHead = false;
    headClock = false;
  }

  /** A request ended: the next bytes begin the next head. */
  void requestEnded() {
    awaitingHead = true;
    bytesSeen = false;
  }

  /** The connection leaves HTTP (upgraded): only the idle clock goes on. */
  void stopHeadClock() {
    awaitingHead = false;
    headClock = false;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    ctx.fireChannelInactive();
  }

  private void schedule(long delayNanos) {
    if (!stopped && delayNanos != Long.MAX_VALUE) {
      timer = ctx.executor().schedule(this::check, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
    }
  }

  private void check() {
    timer = null;
    if (stopped || !ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    if (active) { // something moved since the last check: the idle clock starts again from now
      active = false;
      lastActivity = now;
    }
    long next = Long.MAX_VALUE;
    if (awaitingHead && headClock) {
      long left = headStart + headNanos - now;
      if (left <= 0) {
        expireHead();
        return;
      }
      next = left;
    }
    if (idleNanos > 0) {
      long left = lastActivity + idleNanos - now;
      if (left <= 0) {
        stopped = true;
        ctx.close(); // silent past the idle timeout
        return;
      }
      next = Math.min(next, Math.min(left, idleNanos / 2)); // checks every half period: late by half of one at most
    } else if (next == Long.MAX_VALUE) {
      next = headNanos; // look again later: a head clock may start
    }
    schedule(next);
  }

  private void expireHead() {
    stopped = true;
    if (!bytesSeen) {
      ctx.close(); // opened but never sent anything: nobody to answer
      return;
    }
    // Written from in front of the encoder, so it passes no HTTP encoder: nothing was answered yet.
    ctx.writeAndFlush(Unpooled.wrappedBuffer(HEAD_TIMEOUT_ANSWER)).addListener(ChannelFutureListener.CLOSE);
  }
}
