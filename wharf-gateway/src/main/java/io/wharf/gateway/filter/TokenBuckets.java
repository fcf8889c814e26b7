package io.wharf.gateway.filter;

import io.wharf.model.routing.RateLimit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A route's token buckets, one per client key: each holds up to {@code burst} tokens (at least
 * one) and refills at {@code requests} per {@code per}. Buckets that are full again are the
 * first dropped when there are more than {@link #MAX_KEYS} keys.
 *
 * <p>Thread safety: a bucket is updated inside {@link ConcurrentHashMap#compute}, atomically
 * per key, so event loops sharing a route never lose a token update.
 */
public final class TokenBuckets {
  static final int MAX_KEYS = 100_000;

  private final RateLimit limit;
  private final double capacity;
  private final double perNano;
  private final Map<String, double[]> buckets = new ConcurrentHashMap<>(); // key -> {tokens, lastNanos}

  public TokenBuckets(RateLimit limit) {
    this.limit = limit;
    this.capacity = Math.max(1, limit.burst());
    this.perNano = limit.requests() / (double) limit.per().toNanos();
  }

  public RateLimit limit() {
    return limit;
  }

  /** 0 when a token was taken, else the whole seconds until one will be there (at least 1). */
  public long take(String key, long nowNanos) {
    if (buckets.size() > MAX_KEYS) {
      buckets.entrySet().removeIf(e -> refill(e.getValue(), nowNanos) >= capacity);
    }
    long[] wait = new long[1];
    buckets.compute(key, (k, b) -> {
      if (b == null) {
        b = new double[] {capacity, nowNanos};
      }
      double tokens = refill(b, nowNanos);
      b[1] = nowNanos;
      if (tokens >= 1) {
        b[0] = tokens - 1;
      } else {
        b[0] = tokens;
        wait[0] = Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
      }
      return b;
    });
    return wait[0];
  }

  private double refill(double[] b, long now) {
    return Math.min(capacity, b[0] + (now - (long) b[1]) * perNano);
  }
}
