package io.wharf.client.tls;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Renews something with a lifetime (a certificate) on one virtual thread: waits until it is due,
 * renews it, and when that fails tries again after a pause, until closed. Servers and agents use
 * it for their certificates ({@code tls.ServerCertificateRenewal}, {@code agent.tls.CertificateRenewal}).
 *
 * <p>The thread waits on a condition, so {@link #close()} ends it at once.
 */
public final class RenewalLoop implements AutoCloseable {
  /** What the loop renews. Called from the loop's thread only. */
  public interface Renewable {
    /** When the next renewal is due (two thirds into a certificate's life, say). */
    Instant due();

    /** Renews now, or throws. */
    void renew();

    /** How long to wait after a failed renewal. */
    Duration retryAfter();

    /** Renewing failed with {@code cause}; the next try is in {@code retry} (for the owner's log). */
    void failed(RuntimeException cause, Duration retry);
  }

  private final InstantSource clock;
  private final Renewable renewable;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private boolean closed; // guarded by lock

  private RenewalLoop(String threadName, InstantSource clock, Renewable renewable) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.renewable = Objects.requireNonNull(renewable, "renewable");
    this.thread = Thread.ofVirtual().name(threadName).unstarted(this::run);
  }

  /** Starts renewing {@code renewable} on a thread called {@code threadName}. */
  public static RenewalLoop start(String threadName, InstantSource clock, Renewable renewable) {
    RenewalLoop loop = new RenewalLoop(threadName, clock, renewable);
    loop.thread.start();
    return loop;
  }

  private void run() {
    Instant next = renewable.due();
    while (waitUntil(next)) {
      try {
        renewable.renew();
        next = renewable.due();
      } catch (RuntimeException e) {
        Duration retry = renewable.retryAfter();
        renewable.failed(e, retry);
        next = clock.instant().plus(retry);
      }
    }
  }

  /** Waits until {@code when}; false when closed first. */
  private boolean waitUntil(Instant when) {
    lock.lock();
    try {
      while (!closed) {
        long millis = Duration.between(clock.instant(), when).toMillis();
        if (millis <= 0) {
          return true;
        }
        changed.await(Math.min(millis, TimeUnit.HOURS.toMillis(1)), TimeUnit.MILLISECONDS);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the loop (a renewal under way finishes first; waits up to 5 s for the thread). */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
