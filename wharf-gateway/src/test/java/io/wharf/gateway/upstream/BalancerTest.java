package io.wharf.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.discovery.Endpoint;
import io.wharf.model.routing.LoadBalancing;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BalancerTest {
  private final Upstreams upstreams = new Upstreams(Duration.ofSeconds(5));
  private final Upstream a = upstreams.of(new Endpoint("127.0.0.1", 1001, "a"));
  private final Upstream b = upstreams.of(new Endpoint("127.0.0.1", 1002, "b"));
  private final Upstream c = upstreams.of(new Endpoint("127.0.0.1", 1003, "c"));
  private final List<Upstream> all = List.of(a, b, c);

  private Map<Upstream, Integer> picks(Balancer balancer, int n) {
    Map<Upstream, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(balancer.pick(all), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobinTakesEachInTurn() {
    assertThat(picks(Balancer.of(LoadBalancing.ROUND_ROBIN), 300)).containsOnly(
        Map.entry(a, 100), Map.entry(b, 100), Map.entry(c, 100));
  }

  @Test
  void leastRequestsAvoidsBusyEndpointsAndSharesAmongIdleOnes() {
    a.started();
    a.started();
    b.started();
    Balancer balancer = Balancer.of(LoadBalancing.LEAST_REQUESTS);
    assertThat(picks(balancer, 10)).containsOnly(Map.entry(c, 10));
    b.finished();
    assertThat(picks(balancer, 10)).containsOnlyKeys(b, c);
  }

  @Test
  void powerOfTwoNeverPicksTheBusiestOfThree() {
    a.started();
    a.started();
    b.started();
    Map<Upstream, Integer> counts = picks(Balancer.of(LoadBalancing.POWER_OF_TWO), 600);
    assertThat(counts).doesNotContainKey(a).containsKey(c);
    assertThat(counts.get(c)).isGreaterThan(counts.getOrDefault(b, 0));
  }

  @Test
  void consecutiveFailuresEjectAnEndpointForAWhile() {
    long now = 1_000_000_000L;
    for (int i = 0; i < Upstream.EJECT_AFTER - 1; i++) {
      a.started();
      a.failed(1, new IllegalStateException("boom"), now);
      a.finished();
    }
    assertThat(a.ejected(now)).isFalse();
    a.started();
    a.failed(1, new IllegalStateException("boom"), now);
    a.finished();
    assertThat(a.ejected(now)).isTrue();
    assertThat(a.ejected(now + 999_000_000L)).isTrue();
    assertThat(a.ejected(now + 1_000_000_001L)).isFalse();
  }
}
