package io.wharf.gateway.filter;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Upstream answer deadlines of one event loop, checked on a tick of {@link #TICK_MS} while any is
 * pending. A timer per request (a scheduled task in a priority queue, set and cancelled for every
 * request) costs more than the proxying of a small answer; here a deadline is a node of an
 * intrusive list per timeout value (one "lane" per route timeout): adding appends to its lane,
 * cancelling unlinks it, and as every node of a lane has the same timeout a lane is in expiry
 * order, so a tick looks only at the heads. A deadline fires between its time and one tick later.
 * Confined to the event loop that created it.
 */
final class Deadlines {
  static final long TICK_MS = 20;

  private final EventLoop loop;
  private final ArrayList<Lane> lanes = new ArrayList<>(2);
  private boolean ticking;

  Deadlines(EventLoop loop) {
    this.loop = loop;
  }

  /** Something that can run out of time (what waits for an answer extends it: no object of its own per deadline). */
  abstract static class Deadline {
    private Lane lane; // null: not pending
    private Deadline prev;
    private Deadline next;
    private long atNanos;

    /** Runs on the event loop when the time passed before {@link #cancel}. */
    abstract void expired();

    /** Stops the deadline (no effect when it is not pending). */
    final void cancel() {
      if (lane != null) {
        lane.unlink(this);
      }
    }
  }

  /** Starts {@code d}: {@link Deadline#expired} runs after {@code timeoutMs} unless cancelled first. */
  void add(Deadline d, long timeoutMs) {
    d.cancel();
    Lane lane = null;
    for (int i = 0; i < lanes.size(); i++) {
      if (lanes.get(i).timeoutMs == timeoutMs) {
        lane = lanes.get(i);
        break;
      }
    }
    if (lane == null) {
      lane = new Lane(timeoutMs);
      lanes.add(lane);
    }
    d.atNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    lane.append(d);
    if (!ticking) {
      ticking = true;
      loop.schedule(this::tick, TICK_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void tick() {
    long now = System.nanoTime();
    ArrayList<Deadline> expired = null;
    boolean pending = false;
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get(i);
      Deadline d;
      while ((d = lane.head) != null && now - d.atNanos >= 0) {
        lane.unlink(d);
        if (expired == null) {
          expired = new ArrayList<>();
        }
        expired.add(d);
      }
      pending |= lane.head != null;
    }
    ticking = pending;
    if (pending) {
      loop.schedule(this::tick, TICK_MS, TimeUnit.MILLISECONDS);
    }
    if (expired != null) {
      for (Deadline d : expired) {
        d.expired();
      }
    }
  }

  /** The pending deadlines of one timeout value, oldest first. */
  private static final class Lane {
    private final long timeoutMs;
    private Deadline head;
    private Deadline tail;

    Lane(long timeoutMs) {
      this.timeoutMs = timeoutMs;
    }

    void append(Deadline d) {
      d.lane = this;
      d.prev = tail;
      d.next = null;
      if (tail == null) {
        head = d;
      } else {
        tail.next = d;
      }
      tail = d;
    }

    void unlink(Deadline d) {
      if (d.prev == null) {
        head = d.next;
      } else {
        d.prev.next = d.next;
      }
      if (d.next == null) {
        tail = d.prev;
      } else {
        d.next.prev = d.prev;
      }
      d.lane = null;
      d.prev = null;
      d.next = null;
    }
  }
}
