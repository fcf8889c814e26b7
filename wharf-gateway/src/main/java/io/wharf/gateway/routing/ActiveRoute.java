package io.wharf.gateway.routing;

import io.wharf.gateway.auth.JwtVerifier;
import io.wharf.gateway.filter.TokenBuckets;
import io.wharf.gateway.upstream.Upstream;
import io.wharf.model.routing.RouteSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * A route as one snapshot serves it: its spec, backends with resolved endpoints, and the
 * long-lived policy objects (rate-limit buckets, JWT verifier) reused across snapshots.
 *
 * <p>Thread safety: immutable apart from the balancers' and buckets' own atomic state.
 */
public record ActiveRoute(String id, RouteSpec spec, List<WeightedBackend> backends, TokenBuckets rateLimit,
                          JwtVerifier auth) {
  public ActiveRoute {
    backends = List.copyOf(backends);
  }

  /**
   * Whether this route takes a request for {@code host} (lowercase, no port) and path;
   * {@code headers} looks a header up by lowercase name (case-insensitively).
   */
  public boolean matches(String host, String path, Function<String, String> headers) {
    return hostMatches(spec.host(), host) && pathMatches(spec.path(), path) && headersMatch(headers);
  }

  static boolean hostMatches(String pattern, String host) {
    if (pattern == null) {
      return true;
    }
    if (host == null) {
      return false;
    }
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1);
      return host.endsWith(suffix) && host.length() > suffix.length();
    }
    return pattern.equals(host);
  }

  /** {@code /api} takes {@code /api} and {@code /api/x}, not {@code /apix}. */
  static boolean pathMatches(String prefix, String path) {
    if (!path.startsWith(prefix)) {
      return false;
    }
    return prefix.endsWith("/") || path.length() == prefix.length() || path.charAt(prefix.length()) == '/'
        || path.charAt(prefix.length()) == '?';
  }

  private boolean headersMatch(Function<String, String> headers) {
    for (Map.Entry<String, String> e : spec.headers().entrySet()) {
      if (!e.getValue().equals(headers.apply(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** The path sent upstream: the prefix removed when the route strips it. */
  public String upstreamUri(String uri) {
    if (!spec.stripPrefix() || spec.path().equals("/")) {
      return uri;
    }
    String rest = uri.substring(Math.min(uri.length(), spec.path().length()));
    if (rest.isEmpty() || rest.charAt(0) == '?') {
      return "/" + rest;
    }
    return rest.charAt(0) == '/' ? rest : "/" + rest;
  }

  /**
   * Picks an endpoint: a backend by weight among those with an available endpoint (none
   * excluded, breaker not open, not ejected), then an endpoint by the backend's balancer. When
   * every endpoint is ejected, ejection is ignored (never eject everything). Null when none.
   */
  public Upstream pick(Set<Upstream> excluded, long nowNanos) {
    if (backends.size() == 1 && excluded.isEmpty()) { // the common case, without building candidate lists
      WeightedBackend only = backends.get(0);
      if (only.weight() != 0 && !only.upstreams().isEmpty() && allAvailable(only.upstreams(), nowNanos)) {
        return only.balancer().pick(only.upstreams());
      }
    }
    Upstream u = pick(excluded, nowNanos, true);
    return u != null ? u : pick(excluded, nowNanos, false);
  }

  private Upstream pick(Set<Upstream> excluded, long nowNanos, boolean honourEjection) {
    List<WeightedBackend> usable = new ArrayList<>(backends.size());
    List<List<Upstream>> candidates = new ArrayList<>(backends.size());
    int total = 0;
    for (WeightedBackend b : backends) {
      if (b.weight() == 0) {
        continue;
      }
      List<Upstream> ok = new ArrayList<>(b.upstreams().size());
      for (Upstream u : b.upstreams()) {
        if (!excluded.contains(u) && (honourEjection ? u.available(nowNanos)
            : u.breaker().getState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN)) {
          ok.add(u);
        }
      }
      if (!ok.isEmpty()) {
        usable.add(b);
        candidates.add(ok);
        total += b.weight();
      }
    }
    if (usable.isEmpty()) {
      return null;
    }
    int i = 0;
    if (usable.size() > 1) {
      int r = ThreadLocalRandom.current().nextInt(total);
      while (r >= usable.get(i).weight()) {
        r -= usable.get(i).weight();
        i++;
      }
    }
    return usable.get(i).balancer().pick(candidates.get(i));
  }

  private static boolean allAvailable(List<Upstream> upstreams, long nowNanos) {
    for (Upstream u : upstreams) {
      if (!u.available(nowNanos)) {
        return false;
      }
    }
    return true;
  }

  /** Number of endpoints across backends. */
  public int endpointCount() {
    return backends.stream().mapToInt(b -> b.upstreams().size()).sum();
  }

  static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
