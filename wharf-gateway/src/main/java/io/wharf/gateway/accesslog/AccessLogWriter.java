package io.wharf.gateway.accesslog;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access log lines on its own thread ({@code wharf-gateway-access-log}), in batches.
 *
 * <p>Event loops call {@link #log}, which only offers the entry to a bounded queue: when the
 * writer falls behind and the queue is full the entry is dropped and counted ({@link #dropped}),
 * so a slow disk or terminal never slows the proxy. The writer does not wait on the queue (an
 * offer would then have to wake it, a system call per request): it drains what is there, formats
 * it into one buffer, writes and flushes it with one call, and sleeps {@code period} when the
 * queue was empty. Lines therefore reach the output up to a period after their request ended.
 *
 * <p>Thread safety: {@link #log} from any thread; {@link #close} once, which writes what is
 * queued before returning.
 */
public final class AccessLogWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
  private static final int BATCH = 4096;

  private final Queue<AccessLogEntry> queue; // bounded, lock-free: many event loops in, the writer out
  private final OutputStream out;
  private final long periodNanos;
  private final LongAdder dropped = new LongAdder();
  private final Thread thread;
  private volatile boolean closing;

  private AccessLogWriter(OutputStream out, int capacity, Duration period) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.out = out;
    this.queue = PlatformDependent.newFixedMpscQueue(capacity);
    this.periodNanos = period.toNanos();
    this.thread = Thread.ofPlatform().name("wharf-gateway-access-log").daemon().unstarted(this::run);
  }

  /** Starts a writer to {@code out} holding at most {@code capacity} unwritten lines, waking every {@code period}. */
  public static AccessLogWriter start(OutputStream out, int capacity, Duration period) {
    AccessLogWriter w = new AccessLogWriter(out, capacity, period);
    w.thread.start();
    return w;
  }

  /** Queues one line; never blocks (a full queue drops it). */
  public void log(AccessLogEntry entry) {
    if (!queue.offer(entry)) {
      dropped.increment();
    }
  }

  /** Lines dropped because the queue was full. */
  public long dropped() {
    return dropped.sum();
  }

  private void run() {
    List<AccessLogEntry> batch = new ArrayList<>(BATCH);
    LineBuffer text = new LineBuffer();
    Timestamps timestamps = new Timestamps();
    while (true) {
      boolean last = closing; // read before draining: entries offered before close() are written
      batch.clear();
      AccessLogEntry e;
      while (batch.size() < BATCH && (e = queue.poll()) != null) {
        batch.add(e);
      }
      if (!batch.isEmpty()) {
        text.clear();
        for (AccessLogEntry entry : batch) {
          entry.appendTo(text, timestamps);
        }
        write(text);
        if (batch.size() == BATCH) {
          continue; // more may be waiting
        }
      }
      if (last && queue.isEmpty()) {
        return;
      }
      LockSupport.parkNanos(this, periodNanos);
    }
  }

  private void write(LineBuffer text) {
    try {
      text.writeTo(out);
      out.flush();
    } catch (IOException e) {
      log.warn("cannot write the access log: {}", e.toString());
    }
  }

  /** Writes what is queued, then stops the thread (waits up to 5 s). */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
