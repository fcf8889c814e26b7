package io.wharf.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.routing.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstIsServedThenTheClientWaitsForTheRefill() {
    TokenBuckets buckets = new TokenBuckets(new RateLimit(1, Duration.ofSeconds(10), 3));
    long now = 100 * SECOND;
    assertThat(buckets.take("alice", now)).isZero();
    assertThat(buckets.take("alice", now)).isZero();
    assertThat(buckets.take("alice", now)).isZero();
    assertThat(buckets.take("alice", now)).isEqualTo(10);
    assertThat(buckets.take("alice", now + 4 * SECOND)).isEqualTo(6);
    assertThat(buckets.take("alice", now + 10 * SECOND)).isZero();
  }

  @Test
  void eachClientKeyHasItsOwnBucket() {
    TokenBuckets buckets = new TokenBuckets(new RateLimit(1, Duration.ofSeconds(1), 1));
    assertThat(buckets.take("alice", SECOND)).isZero();
    assertThat(buckets.take("alice", SECOND)).isEqualTo(1);
    assertThat(buckets.take("bob", SECOND)).isZero();
  }
}
