package io.wharf.gateway.upstream;

import io.wharf.model.routing.LoadBalancing;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks one endpoint among candidates that are all available. One balancer per backend of a
 * route-table snapshot (the round-robin cursor restarts at a swap, which is harmless).
 */
public sealed interface Balancer {
  Upstream pick(List<Upstream> candidates);

  static Balancer of(LoadBalancing policy) {
    return switch (policy) {
      case ROUND_ROBIN -> new RoundRobin();
      case LEAST_REQUESTS -> new LeastRequests();
      case POWER_OF_TWO -> new PowerOfTwo();
    };
  }

  /** In turn. */
  final class RoundRobin implements Balancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Upstream pick(List<Upstream> candidates) {
      return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
    }
  }

  /** Fewest requests in flight; ties go in turn so idle endpoints share the load. */
  final class LeastRequests implements Balancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Upstream pick(List<Upstream> candidates) {
      int n = candidates.size();
      int start = Math.floorMod(next.getAndIncrement(), n);
      Upstream best = null;
      for (int i = 0; i < n; i++) {
        Upstream u = candidates.get((start + i) % n);
        if (best == null || u.inFlight() < best.inFlight()) {
          best = u;
        }
      }
      return best;
    }
  }

  /** The less busy of two picked at random (Mitzenmacher's power of two choices). */
  final class PowerOfTwo implements Balancer {
    @Override
    public Upstream pick(List<Upstream> candidates) {
      int n = candidates.size();
      if (n == 1) {
        return candidates.get(0);
      }
      ThreadLocalRandom r = ThreadLocalRandom.current();
      int a = r.nextInt(n);
      int b = r.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      Upstream x = candidates.get(a);
      Upstream y = candidates.get(b);
      return y.inFlight() < x.inFlight() ? y : x;
    }
  }
}
