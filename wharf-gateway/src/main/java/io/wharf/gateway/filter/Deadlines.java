package io.wharf.gateway.filter;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Upstream answer deadlines of one event loop, checked on a tick of {@link #TICK_MS} while any is
 * pending: a timer per request (a scheduled task and a map entry, set and cancelled for
 * every request) costs more than the proxying of a small answer. A deadline fires between its
 * time and one tick later. Confined to the event loop that created it.
 */
final class Deadlines {
  static final long TICK_MS = 20;

  private final EventLoop loop;
  private final ArrayList<Deadline> pending = new ArrayList<>();
  private boolean ticking;

  Deadlines(EventLoop loop) {
    this.loop = loop;
  }

  /** Runs {@code onExpiry} on this event loop unless {@link Deadline#cancel} comes first, after {@code timeoutMs}. */
  Deadline add(long timeoutMs, Runnable onExpiry) {
    Deadline d = new Deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), onExpiry);
    pending.add(d);
    if (!ticking) {
      ticking = true;
      loop.schedule(this::tick, TICK_MS, TimeUnit.MILLISECONDS);
    }
    return d;
  }

  private void tick() {
    long now = System.nanoTime();
    ArrayList<Deadline> expired = null;
    for (int i = pending.size() - 1; i >= 0; i--) {
      Deadline d = pending.get(i);
      boolean due = !d.cancelled && now - d.atNanos >= 0;
      if (d.cancelled || due) {
        Deadline last = pending.removeLast(); // swap-remove: order does not matter
        if (i < pending.size()) {
          pending.set(i, last);
        }
        if (due) {
          if (expired == null) {
            expired = new ArrayList<>();
          }
          expired.add(d);
        }
      }
    }
    ticking = !pending.isEmpty();
    if (ticking) {
      loop.schedule(this::tick, TICK_MS, TimeUnit.MILLISECONDS);
    }
    if (expired != null) {
      for (Deadline d : expired) {
        d.onExpiry.run();
      }
    }
  }

  /** One pending deadline. */
  static final class Deadline {
    private final long atNanos;
    private final Runnable onExpiry;
    private boolean cancelled;

    private Deadline(long atNanos, Runnable onExpiry) {
      this.atNanos = atNanos;
      this.onExpiry = onExpiry;
    }

    void cancel() {
      cancelled = true;
    }
  }
}
