package io.wharf.gateway.filter;

import java.util.Map;

/**
 * The route's rate limit: one token bucket per client key (the client address, or the value of
 * the limit's {@code keyHeader}); an empty bucket answers 429 with {@code Retry-After} seconds.
 */
final class RateLimiting implements Filter {
  @Override
  public void apply(Exchange ex, Chain chain) {
    TokenBuckets buckets = ex.route().rateLimit();
    if (buckets == null) {
      chain.proceed(ex);
      return;
    }
    String header = buckets.limit().keyHeader();
    String key = header == null ? null : ex.header(header);
    if (key == null) {
      key = "addr:" + ex.clientAddress();
    }
    long wait = buckets.take(key, System.nanoTime());
    if (wait > 0) {
      ex.reply(429, "rate limit exceeded, retry in " + wait + "s", Map.of("Retry-After", Long.toString(wait)));
      return;
    }
    chain.proceed(ex);
  }
}
