package io.wharf.gateway.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.wharf.client.discovery.Endpoint;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream endpoint ({@code host:port}) and what the gateway learned about it: requests in
 * flight (for least-requests balancing), its circuit breaker (trips on a failure rate, probes
 * when half-open), and passive outlier ejection (after {@link #EJECT_AFTER} consecutive failures
 * it is skipped for a time that grows with each ejection, capped at 30 s).
 *
 * <p>Thread safety: all fields are atomic or volatile; any event loop may use it.
 */
public final class Upstream {
  public static final int EJECT_AFTER = 5;
  private static final long BASE_EJECTION_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_EJECTION_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Endpoint endpoint;
  private final String address;
  private final CircuitBreaker breaker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicInteger ejections = new AtomicInteger();
  private volatile long ejectedUntil;

  Upstream(Endpoint endpoint, CircuitBreaker breaker) {
    this.endpoint = endpoint;
    this.address = endpoint.address();
    this.breaker = breaker;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public String address() {
    return address;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Whether a balancer may pick it now: breaker not open, not ejected. */
  public boolean available(long nowNanos) {
    return breaker.getState() != CircuitBreaker.State.OPEN && !ejected(nowNanos);
  }

  public boolean ejected(long nowNanos) {
    return ejectedUntil - nowNanos > 0;
  }

  /** A request starts (counted in flight until {@link #finished}). */
  public void started() {
    inFlight.incrementAndGet();
  }

  public void finished() {
    inFlight.decrementAndGet();
  }

  /** The endpoint answered (headers, status below 500) within the timeout. */
  public void succeeded(long elapsedNanos) {
    consecutiveFailures.set(0);
    breaker.onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  /** The endpoint failed: no connection, a reset, a timeout, or a 5xx answer. */
  public void failed(long elapsedNanos, Throwable cause, long nowNanos) {
    breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, cause);
    if (consecutiveFailures.incrementAndGet() >= EJECT_AFTER) {
      consecutiveFailures.set(0);
      int n = ejections.incrementAndGet();
      ejectedUntil = nowNanos + Math.min(MAX_EJECTION_NANOS, BASE_EJECTION_NANOS * n);
    }
  }

  @Override
  public String toString() {
    return address();
  }
}
