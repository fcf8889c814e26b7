package io.wharf.server.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Coalesces unauthenticated refusals (401s of anonymous callers) per (source address, reason), so
 * a flood of bad credentials costs a few audit entries instead of a store write per call.
 *
 * <p>The first refusal of a (source, reason) that has no open window is written as usual, before
 * its answer, and opens a window of {@code window}. Further refusals of that key while the window
 * is open are only counted; when it closes, one entry stands for them all: the first counted
 * request's entry with {@code "refused": {"count", "first", "last", "windowSeconds"}}, and a new
 * window opens. A window that closes having counted nothing ends. So a steady flood from one
 * address costs one entry per window, a lone refusal one entry, written at once.
 *
 * <p>At most {@link #MAX_KEYS} keys are followed at once (the reason comes from the caller's
 * credentials, and an attacker may vary them); refusals of further keys are counted in one
 * overflow window whose entry names the first of them and says {@code "overflow": true}.
 *
 * <p>Thread safety: every key's window is changed atomically inside {@link ConcurrentHashMap#compute};
 * {@link #due} may run on another thread than {@link #admit}.
 */
final class RefusalWindows {
  static final int MAX_KEYS = 10_000;
  private static final Key OVERFLOW = new Key("", "");

  private final Duration window;
  private final ConcurrentHashMap<Key, Window> windows = new ConcurrentHashMap<>();

  record Key(String source, String reason) {}

  /** One window of one key: when it opened and what it counted (immutable; replaced on each change). */
  private record Window(Instant opened, long count, Instant first, Instant last, ObjectNode entry) {
    Window counted(Instant now, Supplier<ObjectNode> entryOfFirst) {
      return new Window(opened, count + 1, first == null ? now : first, now, entry == null ? entryOfFirst.get() : entry);
    }
  }

  /** An entry that stands for {@code count} refusals, to be appended. */
  record Summary(ObjectNode entry, long count, Instant first, Instant last, boolean overflow) {}

  RefusalWindows(Duration window) {
    this.window = window;
  }

  Duration window() {
    return window;
  }

  /**
   * A refusal of {@code key} at {@code now}: true when it opens a window (write its entry now),
   * false when an open window counted it ({@code entry} is asked for the first counted one only).
   */
  boolean admit(Key key, Instant now, Supplier<ObjectNode> entry) {
    boolean[] opened = new boolean[1];
    Key k = windows.size() >= MAX_KEYS && !windows.containsKey(key) ? OVERFLOW : key;
    windows.compute(k, (ignored, w) -> {
      if (w == null) {
        if (k == OVERFLOW) {
          return new Window(now, 0, null, null, null).counted(now, entry); // never written alone
        }
        opened[0] = true;
        return new Window(now, 0, null, null, null);
      }
      return w.counted(now, entry);
    });
    return opened[0];
  }

  /**
   * Closes the windows open for {@code window} or more at {@code now} (every window when
   * {@code all}): the summaries of those that counted refusals, each of which opens a new window.
   */
  List<Summary> due(Instant now, boolean all) {
    List<Summary> out = new ArrayList<>();
    for (Key key : List.copyOf(windows.keySet())) {
      windows.computeIfPresent(key, (k, w) -> {
        if (!all && now.isBefore(w.opened().plus(window))) {
          return w;
        }
        if (w.count() == 0) {
          return null;
        }
        out.add(new Summary(w.entry(), w.count(), w.first(), w.last(), k == OVERFLOW));
        return all ? null : new Window(now, 0, null, null, null);
      });
    }
    return out;
  }

  /** How many keys have an open window. */
  int open() {
    return windows.size();
  }
}
