package io.wharf.scheduler;

import static io.wharf.scheduler.Nodes.cluster;
import static io.wharf.scheduler.Nodes.node;
import static io.wharf.scheduler.Nodes.res;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GlobalPlanTest {
  static final Scheduler scheduler = new Scheduler();

  static Demand agent() {
    return Demand.of("ops/log-agent", res(100, 64)).withDrivers(Set.of("process")).withHostPorts(Set.of(9100))
        .withDistinctNodes(true);
  }

  @Test
  void everyEligibleNodeGetsExactlyOneAndTheRestAreExplained() {
    ClusterSnapshot cluster = cluster(node("a"), node("b").runs("ops/log-agent", 1).ports(9100).used(4000, 4096),
        node("c").runs("ops/log-agent", 3), node("d").down().runs("ops/log-agent", 1), node("e").draining(),
        node("f").ineligible(), node("g").ineligible().runs("ops/log-agent", 1), node("h").ports(9100),
        node("i").drivers("java"));

    GlobalPlan plan = scheduler.global(agent(), cluster);

    assertThat(plan.eligible()).containsExactly("a", "b", "c", "g");
    assertThat(plan.add()).containsExactly("a");
    assertThat(plan.remove()).isEqualTo(Map.of("c", 2, "d", 1));
    assertThat(plan.vetoes()).extracting(Veto::toString).containsExactly("d: node is not ready", "e: node is draining",
        "f: node is not eligible", "h: port 9100 already in use", "i: driver process missing (node has java)");
  }

  @Test
  void aNodeThatNoLongerMeetsAConstraintLosesItsInstance() {
    Demand linuxOnly = agent().withConstraints(List.of(new Constraint("node.labels.os", ConstraintOperator.EQUALS,
        "linux")));
    ClusterSnapshot cluster = cluster(node("a").label("os", "linux").runs("ops/log-agent", 1),
        node("b").label("os", "plan9").runs("ops/log-agent", 1), node("c").label("os", "linux"));

    GlobalPlan plan = scheduler.global(linuxOnly, cluster);

    assertThat(plan.eligible()).containsExactly("a", "c");
    assertThat(plan.add()).containsExactly("c");
    assertThat(plan.remove()).isEqualTo(Map.of("b", 1));
    assertThat(plan.reasons().text()).isEqualTo("1 node: constraint node.labels.os == linux not met");
  }

  @Test
  void aJoiningNodeIsAddedAndNothingElseMoves() {
    ClusterSnapshot before = cluster(node("a").runs("ops/log-agent", 1), node("b").runs("ops/log-agent", 1));
    ClusterSnapshot after = cluster(node("a").runs("ops/log-agent", 1), node("b").runs("ops/log-agent", 1),
        node("new"));

    assertThat(scheduler.global(agent(), before).add()).isEmpty();
    GlobalPlan plan = scheduler.global(agent(), after);
    assertThat(plan.add()).containsExactly("new");
    assertThat(plan.remove()).isEmpty();
  }

  @Test
  void addedInstancesAreAccountedInTheRound() {
    PlacementRound round = scheduler.round(cluster(node("a").used(3900, 0)));
    assertThat(round.global(agent()).add()).containsExactly("a");
    assertThat(round.place(Demand.of("x/y", res(1, 1)), 1).reasons().text())
        .isEqualTo("1 node: not enough cpu (need 1m, largest free 0)");
  }
}
