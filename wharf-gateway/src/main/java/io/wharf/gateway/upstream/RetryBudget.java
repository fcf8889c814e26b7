package io.wharf.gateway.upstream;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds retries so they cannot multiply load during an outage: within a one-second window,
 * retries may reach {@code ratio} × requests plus {@code minPerSecond} (so a quiet gateway can
 * still retry). Time comes in as nanos so tests can drive it.
 *
 * <p>Thread safety: one lock around two counters (held for a few instructions).
 */
public final class RetryBudget {
  private static final long WINDOW = 1_000_000_000L;

  private final double ratio;
  private final int minPerSecond;
  private final ReentrantLock lock = new ReentrantLock();
  private long windowStart;
  private long requests;
  private long retries;

  public RetryBudget(double ratio, int minPerSecond) {
    if (ratio < 0) {
      throw new IllegalArgumentException("ratio must be >= 0, got " + ratio);
    }
    this.ratio = ratio;
    this.minPerSecond = minPerSecond;
  }

  public void requested(long nowNanos) {
    lock.lock();
    try {
      roll(nowNanos);
      requests++;
    } finally {
      lock.unlock();
    }
  }

  /** Takes one retry from the budget; false when it is spent. */
  public boolean tryRetry(long nowNanos) {
    lock.lock();
    try {
      roll(nowNanos);
      if (retries + 1 > ratio * requests + minPerSecond) {
        return false;
      }
      retries++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void roll(long now) {
    if (now - windowStart >= WINDOW) {
      windowStart = now;
      requests = 0;
      retries = 0;
    }
  }
}
