package io.wharf.scheduler;

import static io.wharf.scheduler.Nodes.cluster;
import static io.wharf.scheduler.Nodes.node;
import static io.wharf.scheduler.Nodes.res;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.wharf.model.workload.PlacementStrategy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One table row per ranking rule: the cluster, the demand, the node that must win. */
class RankingTest {
  static final Scheduler scheduler = new Scheduler();

  static Demand web() {
    return Demand.of("shop/web", res(500, 256)).withDrivers(Set.of("process"));
  }

  static Demand spread() {
    return web().withStrategy(PlacementStrategy.SPREAD);
  }

  static Stream<Arguments> winners() {
    return Stream.of(
        arguments(named("bin-pack takes the fullest node that fits", web()),
            List.of(node("a").used(1000, 1024), node("b").used(3000, 3072), node("c")), "b"),
        arguments(named("bin-pack skips a fuller node the instance does not fit", web()),
            List.of(node("a").used(1000, 1024), node("b").used(3800, 3800)), "a"),
        arguments(named("bin-pack breaks ties by name", web()), List.of(node("c"), node("b"), node("d")), "b"),
        arguments(named("bin-pack weighs cpu and memory alike", web()),
            List.of(node("a").used(2000, 0), node("b").used(0, 3072)), "b"),
        arguments(named("bin-pack counts share, not absolute use", web()),
            List.of(node("big").allocatable(16000, 16384).used(4000, 4096), node("small").used(2000, 2048)), "small"),
        arguments(named("spread takes the node with fewest instances of the workload", spread()),
            List.of(node("a").runs("shop/web", 1).used(500, 256), node("b").runs("shop/api", 3).used(3000, 3000)), "b"),
        arguments(named("spread then takes the least loaded node", spread()),
            List.of(node("a").used(1000, 1024), node("b").used(500, 512), node("c").used(2000, 0)), "b"),
        arguments(named("spread breaks ties by name", spread()), List.of(node("b"), node("a")), "a"),
        arguments(named("spread over zones takes the zone with fewest instances", web().spreadOver("node.labels.zone")),
            List.of(node("a1").label("zone", "a"), node("a2").label("zone", "a").runs("shop/web", 2),
                node("b1").label("zone", "b").runs("shop/web", 1).used(3000, 3000)), "b1"),
        arguments(named("spread over zones then takes the node with fewest instances in it",
                web().spreadOver("node.labels.zone")),
            List.of(node("a1").label("zone", "a").runs("shop/web", 2), node("a2").label("zone", "a").runs("shop/web", 1),
                node("b1").label("zone", "b").runs("shop/web", 2), node("b2").label("zone", "b").runs("shop/web", 2)),
            "a2"),
        arguments(named("spread over zones counts a zone only by the workload's own instances",
                web().spreadOver("node.labels.zone")),
            List.of(node("a1").label("zone", "a").runs("shop/api", 9), node("b1").label("zone", "b").runs("shop/web", 1)),
            "a1"),
        arguments(named("spread over zones treats nodes without the label as one more zone",
                web().spreadOver("node.labels.zone")),
            List.of(node("a1").label("zone", "a").runs("shop/web", 1), node("x1").labels(Map.of())), "x1"),
        arguments(named("spread over zones ignores zones with no feasible node", web().spreadOver("node.labels.zone")),
            List.of(node("a1").label("zone", "a").runs("shop/web", 3), node("b1").label("zone", "b").down()), "a1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("winners")
  void theBestNodeByTheStrategyWins(Demand demand, List<Nodes.Builder> nodes, String winner) {
    ClusterSnapshot cluster = cluster(nodes.toArray(Nodes.Builder[]::new));
    Plan plan = scheduler.schedule(demand, cluster);
    assertThat(plan).isInstanceOf(Plan.Placement.class);
    assertThat(((Plan.Placement) plan).node()).isEqualTo(winner);
    assertThat(scheduler.place(demand, 1, cluster).nodes()).containsExactly(winner);
  }

  @Test
  void binPackFillsOneNodeBeforeTheNext() {
    BatchPlan plan = scheduler.place(web(), 10, cluster(node("a"), node("b"), node("c")));
    assertThat(plan.nodes()).containsExactly("a", "a", "a", "a", "a", "a", "a", "a", "b", "b");
  }

  @Test
  void spreadOverNodesTakesTurns() {
    BatchPlan plan = scheduler.place(spread(), 6, cluster(node("a"), node("b"), node("c")));
    assertThat(plan.nodes()).containsExactly("a", "b", "c", "a", "b", "c");
  }

  @Test
  void spreadOverZonesBalancesZonesNotNodes() {
    ClusterSnapshot cluster = cluster(node("a1").label("zone", "a"), node("a2").label("zone", "a"),
        node("a3").label("zone", "a"), node("b1").label("zone", "b"), node("c1").label("zone", "c"));
    BatchPlan plan = scheduler.place(web().spreadOver("node.labels.zone"), 9, cluster);

    Map<String, Integer> perZone = new TreeMap<>();
    plan.nodes().forEach(n -> perZone.merge(n.substring(0, 1), 1, Integer::sum));
    assertThat(perZone).isEqualTo(Map.of("a", 3, "b", 3, "c", 3));
    assertThat(plan.nodes()).filteredOn(n -> n.startsWith("a")).containsExactlyInAnyOrder("a1", "a2", "a3");
  }
}
