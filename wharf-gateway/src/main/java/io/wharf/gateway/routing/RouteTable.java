package io.wharf.gateway.routing;

import io.wharf.client.discovery.DiscoverySnapshot;
import io.wharf.client.discovery.Endpoint;
import io.wharf.client.discovery.ReadyEndpoints;
import io.wharf.client.discovery.ServicePort;
import io.wharf.gateway.auth.JwtVerifier;
import io.wharf.gateway.filter.TokenBuckets;
import io.wharf.gateway.upstream.Balancer;
import io.wharf.gateway.upstream.Upstream;
import io.wharf.gateway.upstream.Upstreams;
import io.wharf.model.Route;
import io.wharf.model.routing.Backend;
import io.wharf.model.routing.RouteSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable routing snapshot. The gateway holds the current one in an atomic reference and
 * replaces it whole when routes or endpoints change; a request keeps the snapshot (and the
 * endpoint) it started with, so a swap never disturbs requests in flight.
 *
 * <p><b>Which route wins</b> when several match: the highest {@code priority}; then an exact
 * host over a wildcard host over no host; then the longest path prefix; then more header
 * matches; then the route's {@code namespace/name} (so the order is total and stable).
 */
public final class RouteTable {
  static final Comparator<ActiveRoute> MOST_SPECIFIC_FIRST = Comparator
      .comparingInt((ActiveRoute r) -> -r.spec().priority())
      .thenComparingInt(r -> -hostRank(r.spec().host()))
      .thenComparingInt(r -> -r.spec().path().length())
      .thenComparingInt(r -> -r.spec().headers().size())
      .thenComparing(ActiveRoute::id);

  public static final RouteTable EMPTY = new RouteTable(List.of(), 0);

  private final List<ActiveRoute> routes;
  private final long revision;
  private final boolean anyHost; // whether a route names a host (else the request's host is never looked at)

  private RouteTable(List<ActiveRoute> routes, long revision) {
    this.routes = routes.stream().sorted(MOST_SPECIFIC_FIRST).toList();
    this.revision = revision;
    this.anyHost = routes.stream().anyMatch(r -> r.spec().host() != null);
  }

  public static RouteTable of(List<ActiveRoute> routes, long revision) {
    return new RouteTable(routes, revision);
  }

  private static int hostRank(String host) {
    return host == null ? 0 : host.startsWith("*.") ? 1 : 2;
  }

  /** Routes in match order (most specific first). */
  public List<ActiveRoute> routes() {
    return routes;
  }

  public long revision() {
    return revision;
  }

  /** The route for a request: {@code host} as sent (port and case ignored), path, header lookup by name. */
  public Optional<ActiveRoute> match(String host, String path, java.util.function.Function<String, String> headers) {
    String h = host == null || !anyHost ? null : ActiveRoute.lower(stripPort(host));
    for (ActiveRoute r : routes) {
      if (r.matches(h, path, headers)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  static String stripPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /** Long-lived per-route policy objects, reused while a route's policy stays the same. */
  public static final class Policies {
    private final Map<String, TokenBuckets> buckets = new ConcurrentHashMap<>();
    private final Map<String, JwtVerifier> verifiers = new ConcurrentHashMap<>();
    private final io.wharf.gateway.auth.ClusterKeys cluster; // null: no cluster to check its tokens against

    public Policies() {
      this(null);
    }

    /** {@code cluster} checks the tokens of {@code auth: jwt} routes that name no key of their own. */
    public Policies(io.wharf.gateway.auth.ClusterKeys cluster) {
      this.cluster = cluster;
    }

    TokenBuckets buckets(String id, RouteSpec spec) {
      if (spec.rateLimit() == null) {
        buckets.remove(id);
        return null;
      }
      return buckets.compute(id, (k, old) -> old != null && old.limit().equals(spec.rateLimit()) ? old
          : new TokenBuckets(spec.rateLimit()));
    }

    JwtVerifier verifier(String id, RouteSpec spec) {
      if (spec.auth() == null) {
        verifiers.remove(id);
        return null;
      }
      return verifiers.compute(id, (k, old) -> old != null && old.auth().equals(spec.auth()) ? old
          : new JwtVerifier(spec.auth(), cluster));
    }

    void retainOnly(Set<String> ids) {
      buckets.keySet().retainAll(ids);
      verifiers.keySet().retainAll(ids);
    }
  }

  /**
   * Builds the snapshot for {@code snapshot}: each route's backends resolved to service ports
   * (a backend whose service or port does not exist has no endpoints) and their ready endpoints
   * to {@link Upstream}s from {@code upstreams}; endpoints no route uses any more are forgotten.
   */
  public static RouteTable build(DiscoverySnapshot snapshot, Upstreams upstreams, Policies policies) {
    List<ActiveRoute> active = new ArrayList<>();
    Set<String> used = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (Route route : snapshot.routes()) {
      String ns = route.metadata().namespace() == null ? "default" : route.metadata().namespace();
      String id = ns + "/" + route.metadata().name();
      RouteSpec spec = route.spec();
      List<WeightedBackend> backends = new ArrayList<>();
      for (Backend b : spec.backends()) {
        Optional<String> portName = snapshot.service(ns, b.service())
            .flatMap(s -> ReadyEndpoints.portName(s, b.port()));
        ServicePort key = new ServicePort(ns, b.service(), portName.orElse(b.port() == null ? "?" : b.port()));
        List<Upstream> ups = new ArrayList<>();
        if (portName.isPresent()) {
          for (Endpoint e : snapshot.endpoints(key)) {
            ups.add(upstreams.of(e));
            used.add(e.address());
          }
        }
        backends.add(new WeightedBackend(key, b.weight(), ups, Balancer.of(spec.loadBalancing())));
      }
      ids.add(id);
      active.add(new ActiveRoute(id, spec, backends, policies.buckets(id, spec), policies.verifier(id, spec)));
    }
    upstreams.retainOnly(used);
    policies.retainOnly(ids);
    return new RouteTable(active, snapshot.revision());
  }
}
