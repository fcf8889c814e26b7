package io.wharf.server.controller;

import java.time.Duration;

/**
 * Exponential retry delay: {@code base * 2^(failures-1)}, capped at {@code cap}. Pure.
 */
public record Backoff(Duration base, Duration cap) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(30));

  public Backoff {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap, got " + base + " and " + cap);
    }
  }

  /** The delay before retry number {@code failures} (1 = the first retry). */
  public Duration delay(int failures) {
    if (failures <= 1) {
      return base;
    }
    int shift = Math.min(failures - 1, 40);
    long nanos = base.toNanos();
    if (nanos > cap.toNanos() >> shift) {
      return cap;
    }
    return Duration.ofNanos(Math.min(cap.toNanos(), nanos << shift));
  }
}
