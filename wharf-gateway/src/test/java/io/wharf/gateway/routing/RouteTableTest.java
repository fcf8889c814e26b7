package io.wharf.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.discovery.DiscoverySnapshot;
import io.wharf.gateway.upstream.Upstreams;
import io.wharf.model.Metadata;
import io.wharf.model.Route;
import io.wharf.model.routing.Backend;
import io.wharf.model.routing.LoadBalancing;
import io.wharf.model.routing.RouteSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private static Route route(String name, String host, String path, Map<String, String> headers, int priority,
      boolean strip) {
    return new Route(Metadata.of(name, "default"), new RouteSpec(host, path, List.of(new Backend("s", "http", 1)),
        strip, null, 0, null, null, headers, priority, LoadBalancing.ROUND_ROBIN, false));
  }

  private static RouteTable table(Route... routes) {
    return RouteTable.build(new DiscoverySnapshot(1, List.of(routes), Map.of(), Map.of()),
        new Upstreams(Duration.ofSeconds(1)), new RouteTable.Policies());
  }

  private static String matched(RouteTable t, String host, String path, Map<String, String> headers) {
    return t.match(host, path, headers::get).map(ActiveRoute::id).orElse("none");
  }

  @Test
  void mostSpecificRouteWins() {
    RouteTable t = table(
        route("any", null, "/", Map.of(), 0, false),
        route("api", null, "/api", Map.of(), 0, false),
        route("api-v2", null, "/api/v2", Map.of(), 0, false),
        route("wild", "*.shop.local", "/", Map.of(), 0, false),
        route("exact", "www.shop.local", "/", Map.of(), 0, false),
        route("beta", null, "/api", Map.of("x-beta", "1"), 0, false));
    assertThat(matched(t, "other", "/x", Map.of())).isEqualTo("default/any");
    assertThat(matched(t, "other", "/api/orders", Map.of())).isEqualTo("default/api");
    assertThat(matched(t, "other", "/api/v2/orders", Map.of())).isEqualTo("default/api-v2");
    assertThat(matched(t, "other", "/apix", Map.of())).isEqualTo("default/any");
    assertThat(matched(t, "www.shop.local:8080", "/api", Map.of())).isEqualTo("default/exact");
    assertThat(matched(t, "WWW.Shop.Local", "/", Map.of())).isEqualTo("default/exact");
    assertThat(matched(t, "m.shop.local", "/api", Map.of())).isEqualTo("default/wild");
    assertThat(matched(t, "shop.local", "/", Map.of())).isEqualTo("default/any");
    assertThat(matched(t, "other", "/api/x", Map.of("x-beta", "1"))).isEqualTo("default/beta");
    assertThat(matched(t, "other", "/api/x", Map.of("x-beta", "2"))).isEqualTo("default/api");
  }

  @Test
  void priorityBeatsSpecificity() {
    RouteTable t = table(route("api", null, "/api", Map.of(), 0, false),
        route("maintenance", null, "/", Map.of(), 10, false));
    assertThat(matched(t, "h", "/api/x", Map.of())).isEqualTo("default/maintenance");
  }

  @Test
  void noRouteMatchesWithoutAHostWhenTheRouteNamesOne() {
    RouteTable t = table(route("exact", "shop.local", "/", Map.of(), 0, false));
    assertThat(t.match(null, "/", name -> null)).isEqualTo(Optional.empty());
  }

  @Test
  void stripPrefixRemovesThePathPrefixOnly() {
    ActiveRoute r = table(route("api", null, "/api", Map.of(), 0, true)).routes().get(0);
    assertThat(r.upstreamUri("/api/orders?x=1")).isEqualTo("/orders?x=1");
    assertThat(r.upstreamUri("/api")).isEqualTo("/");
    assertThat(r.upstreamUri("/api?x=1")).isEqualTo("/?x=1");
  }
}
