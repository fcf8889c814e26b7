package io.wharf.client.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.client.ApiException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running watch. One virtual thread connects, parses SSE messages and hands each change to
 * the listener; it remembers the last event id and, when the connection drops, reconnects
 * with {@code Last-Event-ID} (and {@code fromRevision = last + 1}) after a short backoff, so
 * the listener sees every revision once. A compacted revision ends the watch through
 * {@link WatchListener#onCompacted}; a client error (4xx) ends it through
 * {@link WatchListener#onClosed}; server errors (5xx) and network failures are retried until
 * {@link #close()}. A connection silent for longer than the idle timeout (no event, no
 * keep-alive) is treated as dropped.
 *
 * <p>Thread safety: {@link #close()} and {@link #lastRevision()} may be called from any thread.
 */
public final class WatchStream implements AutoCloseable {

  /** Opens one SSE connection; the server resumes after {@code lastEventId} when it is > 0. */
  @FunctionalInterface
  public interface Connector {
    InputStream open(long fromRevision, long lastEventId) throws IOException;
  }

  /**
   * The server sends a keep-alive comment every 15 s; three missed ones mean the connection is
   * dead even if TCP has not noticed (a partition), so the watch drops it and reconnects.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(45);

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(3);

  private final Connector connector;
  private final WatchListener listener;
  private final ObjectMapper json;
  private final long fromRevision;
  private final AtomicReference<InputStream> current = new AtomicReference<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Thread thread;
  private final Duration idleTimeout;
  private volatile long lastActivity = System.nanoTime();
  private volatile long lastRevision;
  private volatile boolean closed;
  private boolean finished; // set and read only by the watch thread
  private boolean sawEvent; // set and read only by the watch thread
  // One revision may carry several changes (one transaction); the server marks its last with the
  // SSE id. Until then the revision is "open": how many of its changes the listener already has,
  // so a reconnect in the middle of a revision replays it without delivering any change twice.
  private long openRevision = -1; // watch thread only
  private int openDelivered; // watch thread only

  private WatchStream(Connector connector, WatchListener listener, ObjectMapper json,
      long fromRevision, Duration idleTimeout) {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
    this.idleTimeout = idleTimeout;
    this.connector = connector;
    this.listener = listener;
    this.json = json;
    this.fromRevision = fromRevision;
    this.lastRevision = Math.max(0, fromRevision - 1);
    this.thread = Thread.ofVirtual().name("wharf-watch").unstarted(this::run);
  }

  /** Starts reading on a new virtual thread. */
  public static WatchStream start(Connector connector, WatchListener listener, ObjectMapper json,
      long fromRevision) {
    return start(connector, listener, json, fromRevision, DEFAULT_IDLE_TIMEOUT);
  }

  /** As {@link #start(Connector, WatchListener, ObjectMapper, long)} with an idle timeout. */
  public static WatchStream start(Connector connector, WatchListener listener, ObjectMapper json,
      long fromRevision, Duration idleTimeout) {
    WatchStream stream = new WatchStream(connector, listener, json, fromRevision, idleTimeout);
    stream.thread.start();
    Thread.ofVirtual().name("wharf-watch-idle").start(stream::watchIdleness);
    return stream;
  }

  /** Drops a connection on which nothing (not even a keep-alive) arrived for idleTimeout. */
  private void watchIdleness() {
    try {
      while (!isEnded()) {
        Thread.sleep(Math.max(10, idleTimeout.toMillis() / 4));
        InputStream body = current.get();
        if (body != null && System.nanoTime() - lastActivity > idleTimeout.toNanos()
            && current.compareAndSet(body, null)) {
          closeQuietly(body);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The revision of the last event delivered (or {@code fromRevision - 1} before any). */
  public long lastRevision() {
    return lastRevision;
  }

  /** Waits until the watch has ended (closed, compacted or failed); true when it has. */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isEnded() {
    return ended.getCount() == 0;
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(current.getAndSet(null));
    thread.interrupt();
  }

  private void run() {
    Throwable error = null;
    try {
      Duration backoff = FIRST_BACKOFF;
      while (!closed) {
        Throwable dropped;
        try {
          boolean delivered = readOnce();
          if (delivered) {
            backoff = FIRST_BACKOFF;
          }
          if (closed || finished) {
            return;
          }
          dropped = new IOException("the server ended the watch stream");
        } catch (ApiException e) {
          if (e.status() == 410) {
            listener.onCompacted(lastRevision);
            return;
          }
          if (e.status() < 500) {
            error = e;
            return;
          }
          dropped = e;
        } catch (IOException | RuntimeException e) {
          if (closed) {
            return;
          }
          if (e instanceof ListenerFailure failure) {
            error = failure.getCause();
            return;
          }
          dropped = e;
        }
        listener.onReconnecting(dropped);
        Thread.sleep(backoff.toMillis());
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
            ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    } catch (InterruptedException e) {
      // close() interrupts the backoff sleep; nothing more to do.
    } catch (RuntimeException e) {
      error = e;
    } finally {
      closeQuietly(current.getAndSet(null));
      try {
        listener.onClosed(closed ? null : error);
      } finally {
        ended.countDown();
      }
    }
  }

  /** Reads one connection to its end; true when at least one event arrived. */
  private boolean readOnce() throws IOException {
    long last = lastRevision;
    // Before any event, "from now" (0) must stay 0: resuming from 1 would replay all history.
    // In the middle of a revision, resume from that revision (its first changes are skipped).
    InputStream opened = !sawEvent ? connector.open(fromRevision, 0)
        : openRevision > last ? connector.open(openRevision, openRevision - 1)
        : connector.open(last + 1, last);
    lastActivity = System.nanoTime();
    InputStream body = new FilterInputStream(opened) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        lastActivity = System.nanoTime();
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        lastActivity = System.nanoTime();
        return n;
      }
    };
    current.set(body);
    if (closed) {
      closeQuietly(body);
      return false;
    }
    boolean delivered = false;
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(body, StandardCharsets.UTF_8))) {
      SseParser parser = new SseParser(reader);
      Optional<ServerSentEvent> next;
      long connectionRevision = -1;
      int indexInRevision = 0;
      while ((next = parser.next()).isPresent()) {
        ServerSentEvent message = next.get();
        if ("compacted".equals(message.event())) {
          JsonNode data = parse(message);
          listener.onCompacted(data.path("compactRevision").asLong());
          finished = true;
          return delivered;
        }
        if (!"PUT".equals(message.event()) && !"DELETE".equals(message.event())) {
          continue;
        }
        WatchEvent event = toEvent(message);
        if (event.revision() <= lastRevision) {
          continue; // a replay after reconnecting: already delivered
        }
        if (event.revision() != connectionRevision) {
          connectionRevision = event.revision();
          indexInRevision = 0;
        }
        int index = indexInRevision++;
        if (event.revision() != openRevision || index >= openDelivered) {
          try {
            listener.onEvent(event);
          } catch (RuntimeException e) {
            throw new ListenerFailure(e);
          }
          if (event.revision() != openRevision) {
            openRevision = event.revision();
            openDelivered = 0;
          }
          openDelivered++;
          sawEvent = true;
          delivered = true;
        }
        if (message.id() != null) {
          lastRevision = event.revision();
        }
      }
    }
    return delivered;
  }

  private WatchEvent toEvent(ServerSentEvent message) throws IOException {
    JsonNode data = parse(message);
    long revision = data.path("revision").asLong(0);
    if (revision == 0 && message.id() != null) {
      revision = Long.parseLong(message.id().strip());
    }
    return new WatchEvent(data.path("type").asText(message.event()), data.path("kind").asText(""),
        revision, data.path("object"));
  }

  private JsonNode parse(ServerSentEvent message) throws IOException {
    try {
      return json.readTree(message.data());
    } catch (IOException e) {
      throw new IOException("unreadable watch event data: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the connection is being abandoned either way
      }
    }
  }

  /** Carries a listener's exception past the reconnect logic: it ends the watch. */
  private static final class ListenerFailure extends RuntimeException {
    ListenerFailure(RuntimeException cause) {
      super(cause);
    }
  }
}
