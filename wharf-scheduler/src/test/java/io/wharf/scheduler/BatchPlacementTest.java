package io.wharf.scheduler;

import static io.wharf.scheduler.Nodes.cluster;
import static io.wharf.scheduler.Nodes.node;
import static io.wharf.scheduler.Nodes.res;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Placing many instances at once: each placement is accounted before the next. */
class BatchPlacementTest {
  static final Scheduler scheduler = new Scheduler();

  static Demand web() {
    return Demand.of("shop/web", res(1000, 1024)).withDrivers(Set.of("process"));
  }

  @Test
  void resourcesAreAccountedSoNoNodeIsOvercommittedAndTheRestIsExplained() {
    BatchPlan plan = scheduler.place(web(), 7, cluster(node("a"), node("b").used(2000, 0), node("c").down()));

    assertThat(plan.nodes()).containsExactly("b", "b", "a", "a", "a", "a");
    assertThat(plan.unplaced()).isEqualTo(1);
    assertThat(plan.vetoes()).extracting(Veto::toString).containsExactly(
        "a: not enough cpu (need 1, free 0 of 4)", "b: not enough cpu (need 1, free 0 of 4)", "c: node is not ready");
    assertThat(plan.reasons().text())
        .isEqualTo("2 nodes: not enough cpu (need 1, largest free 0); 1 node: node is not ready");
  }

  @Test
  void aCompleteBatchCarriesNoVetoes() {
    BatchPlan plan = scheduler.place(web(), 2, cluster(node("a"), node("c").down()));
    assertThat(plan.complete()).isTrue();
    assertThat(plan.vetoes()).isEmpty();
    assertThat(plan.reasons().isEmpty()).isTrue();
  }

  @Test
  void aFixedHostPortTakesOneInstancePerNode() {
    BatchPlan plan = scheduler.place(web().withHostPorts(Set.of(80)), 3, cluster(node("a"), node("b")));
    assertThat(plan.nodes()).containsExactly("a", "b");
    assertThat(plan.reasons().text()).isEqualTo("2 nodes: port 80 already in use");
  }

  @Test
  void distinctNodesPutsEachInstanceOnItsOwnNode() {
    BatchPlan plan = scheduler.place(web().withDistinctNodes(true), 3,
        cluster(node("a"), node("b").runs("shop/web", 1), node("c")));
    assertThat(plan.nodes()).containsExactly("a", "c");
    assertThat(plan.reasons().text())
        .isEqualTo("3 nodes: already runs an instance of shop/web (distinct nodes)");
  }

  @Test
  void aNamedVolumeNotYetCreatedPinsTheWholeBatchToTheFirstNode() {
    Demand withData = web().withVolumes(List.of(NamedVolume.unheld("shop/data")));
    PlacementRound round = scheduler.round(cluster(node("a").used(3000, 0), node("b")));

    BatchPlan plan = round.place(withData, 3);

    assertThat(plan.nodes()).containsExactly("a");
    assertThat(plan.vetoes()).extracting(Veto::toString)
        .containsExactly("a: not enough cpu (need 1, free 0 of 4)", "b: volume shop/data is on node a");
    assertThat(round.place(withData.withHostPorts(Set.of()), 1).nodes())
        .as("a later batch in the same round sees the volume where the first one created it").isEmpty();
  }

  @Test
  void aNamedVolumeHeldByANodeKeepsTheInstanceThere() {
    Demand withData = web().withVolumes(List.of(new NamedVolume("shop/data", "c")));
    BatchPlan plan = scheduler.place(withData, 1, cluster(node("a"), node("b"), node("c").used(3000, 3072)));
    assertThat(plan.nodes()).containsExactly("c");
  }

  @Test
  void aVolumeHeldByAGoneNodeIsExplainedOnEveryNode() {
    Demand withData = web().withVolumes(List.of(new NamedVolume("shop/data", "gone")));
    BatchPlan plan = scheduler.place(withData, 1, cluster(node("a"), node("b")));
    assertThat(plan.reasons().text()).isEqualTo("2 nodes: volume shop/data is on node gone");
  }

  @Test
  void aRoundSeesEarlierBatchesSoConflictingWorkloadsStayApart() {
    Demand db = Demand.of("shop/db", res(500, 512)).withConflicts(Set.of("shop/web"));
    Demand app = web().withConflicts(Demand.conflictsOf("shop/web", java.util.Map.of("shop/db", Set.of("shop/web"))));
    PlacementRound round = scheduler.round(cluster(node("a"), node("b")));

    assertThat(round.place(db, 1).nodes()).containsExactly("a");
    BatchPlan webs = round.place(app, 5);

    assertThat(webs.nodes()).containsExactly("b", "b", "b", "b");
    assertThat(webs.reasons().text())
        .isEqualTo("1 node: not enough cpu (need 1, largest free 0); 1 node: runs conflicting shop/db");
  }

  @Test
  void aRoundNeverChangesTheSnapshotItCameFrom() {
    ClusterSnapshot cluster = cluster(node("a"));
    scheduler.round(cluster).place(web().withHostPorts(Set.of(80)), 1);
    assertThat(cluster.nodes().get(0).used()).isEqualTo(res(0, 0));
    assertThat(scheduler.place(web().withHostPorts(Set.of(80)), 1, cluster).nodes()).containsExactly("a");
  }

  @Test
  void conflictsAreCollectedInBothDirections() {
    var declared = java.util.Map.of("shop/web", List.of("shop/db"), "shop/batch", List.of("shop/web"),
        "shop/db", List.<String>of());
    assertThat(Demand.conflictsOf("shop/web", declared)).containsExactlyInAnyOrder("shop/db", "shop/batch");
    assertThat(Demand.conflictsOf("shop/db", declared)).containsExactly("shop/web");
  }
}
