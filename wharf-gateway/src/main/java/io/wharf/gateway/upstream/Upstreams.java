package io.wharf.gateway.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.wharf.client.discovery.Endpoint;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every upstream endpoint the gateway knows, by address, so breaker and outlier state survive
 * route-table swaps. {@link #retainOnly} forgets endpoints no longer in any route (requests still
 * in flight keep their reference and finish normally).
 *
 * <p>Breakers: count-based window of 10 calls, trip at 50% failures after 5 calls, stay open for
 * {@code openFor}, then let 2 probe calls through (half-open); both must succeed to close.
 */
public final class Upstreams {
  private final Map<String, Upstream> byAddress = new ConcurrentHashMap<>();
  private final CircuitBreakerConfig config;

  public Upstreams(Duration openFor) {
    this.config = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(10)
        .minimumNumberOfCalls(5)
        .failureRateThreshold(50)
        .waitDurationInOpenState(openFor)
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .permittedNumberOfCallsInHalfOpenState(2)
        .recordExceptions(Throwable.class)
        .build();
  }

  public Upstream of(Endpoint endpoint) {
    return byAddress.computeIfAbsent(endpoint.address(),
        a -> new Upstream(endpoint, CircuitBreaker.of(a, config)));
  }

  public void retainOnly(Set<String> addresses) {
    byAddress.keySet().retainAll(addresses);
  }

  public Collection<Upstream> all() {
    return byAddress.values();
  }

  public Upstream find(String address) {
    return byAddress.get(address);
  }
}
