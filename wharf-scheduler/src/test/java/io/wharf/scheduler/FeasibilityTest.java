package io.wharf.scheduler;

import static io.wharf.scheduler.Nodes.cluster;
import static io.wharf.scheduler.Nodes.node;
import static io.wharf.scheduler.Nodes.res;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One table row per feasibility rule: the node, the demand, and the exact veto a user reads. */
class FeasibilityTest {
  static final Scheduler scheduler = new Scheduler();

  static Demand web() {
    return Demand.of("shop/web", res(500, 256)).withDrivers(Set.of("process"));
  }

  static Demand constrained(String attribute, ConstraintOperator op, String value) {
    return web().withConstraints(List.of(new Constraint(attribute, op, value)));
  }

  static Stream<Arguments> vetoes() {
    return Stream.of(
        arguments(named("a node that is down", web()), node("n1").down(), "node is not ready"),
        arguments(named("a draining node", web()), node("n1").draining(), "node is draining"),
        arguments(named("an ineligible node", web()), node("n1").ineligible(), "node is not eligible"),
        arguments(named("a missing driver", web().withDrivers(Set.of("docker", "process"))), node("n1"),
            "driver docker missing (node has java, process)"),
        arguments(named("two missing drivers on a bare node", web().withDrivers(Set.of("docker", "java"))),
            node("n1").drivers(), "drivers docker, java missing (node has none)"),
        arguments(named("not enough cpu", web()), node("n1").used(3800, 0), "not enough cpu (need 500m, free 200m of 4)"),
        arguments(named("not enough memory", web()), node("n1").used(0, 4000),
            "not enough memory (need 256Mi, free 96Mi of 4Gi)"),
        arguments(named("an overcommitted node", web()), node("n1").used(5000, 0), "not enough cpu (need 500m, free 0 of 4)"),
        arguments(named("a taken port", web().withHostPorts(Set.of(8080, 9090))), node("n1").ports(8080, 22),
            "port 8080 already in use"),
        arguments(named("two taken ports", web().withHostPorts(Set.of(8080, 9090))), node("n1").ports(9090, 8080),
            "ports 8080, 9090 already in use"),
        arguments(named("a label that differs", constrained("node.labels.zone", ConstraintOperator.EQUALS, "b")),
            node("n1"), "constraint node.labels.zone == b not met (zone=a)"),
        arguments(named("a label that is missing", constrained("node.labels.gpu", ConstraintOperator.EXISTS, null)),
            node("n1"), "constraint node.labels.gpu exists not met (gpu not set)"),
        arguments(named("a label outside a set", constrained("node.labels.zone", ConstraintOperator.IN, "b, c")),
            node("n1"), "constraint node.labels.zone in b, c not met (zone=a)"),
        arguments(named("a label inside an excluded set", constrained("node.labels.zone", ConstraintOperator.NOT_IN, "a,b")),
            node("n1"), "constraint node.labels.zone not-in a,b not met (zone=a)"),
        arguments(named("a label that does not match", constrained("node.labels.zone", ConstraintOperator.REGEX, "eu-.*")),
            node("n1"), "constraint node.labels.zone =~ eu-.* not met (zone=a)"),
        arguments(named("a version too old", constrained("node.labels.kernel", ConstraintOperator.VERSION_GE, "5.10")),
            node("n1").label("kernel", "5.9.2"), "constraint node.labels.kernel >= 5.10 not met (kernel=5.9.2)"),
        arguments(named("a missing version", constrained("node.labels.kernel", ConstraintOperator.VERSION_LT, "6")),
            node("n1"), "constraint node.labels.kernel < 6 not met (kernel not set)"),
        arguments(named("a missing label for equality", constrained("node.labels.disk", ConstraintOperator.EQUALS, "ssd")),
            node("n1"), "constraint node.labels.disk == ssd not met (disk not set)"),
        arguments(named("a name that is excluded", constrained("node.name", ConstraintOperator.NOT_EQUALS, "n1")),
            node("n1"), "constraint node.name != n1 not met (node.name=n1)"),
        arguments(named("an address outside a subnet", constrained("node.address", ConstraintOperator.REGEX, "10\\..*")),
            node("n1").address("127.0.0.2"), "constraint node.address =~ 10\\..* not met (node.address=127.0.0.2)"),
        arguments(named("a conflicting workload on the node", web().withConflicts(Set.of("shop/db", "shop/cache"))),
            node("n1").runs("shop/db", 1), "runs conflicting shop/db"),
        arguments(named("an instance already there with distinct nodes", web().withDistinctNodes(true)),
            node("n1").runs("shop/web", 1), "already runs an instance of shop/web (distinct nodes)"),
        arguments(named("a named volume on another node", web().withVolumes(List.of(new NamedVolume("shop/data", "n7")))),
            node("n1"), "volume shop/data is on node n7"));
  }

  @ParameterizedTest(name = "{0} is vetoed")
  @MethodSource("vetoes")
  void aNodeThatCannotTakeTheDemandIsVetoedWithAReadableReason(Demand demand, Nodes.Builder node, String reason) {
    Plan plan = scheduler.schedule(demand, cluster(node));

    assertThat(plan).isInstanceOf(Plan.NoPlacement.class);
    assertThat(plan.vetoes()).extracting(Veto::toString).containsExactly("n1: " + reason);
    assertThat(((Plan.NoPlacement) plan).summary()).isEqualTo("no node fits: n1: " + reason);
    assertThat(scheduler.place(demand, 3, cluster(node)).nodes()).isEmpty();
  }

  static Stream<Arguments> feasible() {
    return Stream.of(
        arguments(named("an exactly full fit", web()), node("n1").used(3500, 3840)),
        arguments(named("a free port", web().withHostPorts(Set.of(8080))), node("n1").ports(8081)),
        arguments(named("a label in a set", constrained("node.labels.zone", ConstraintOperator.IN, "a,b")), node("n1")),
        arguments(named("a missing label with !=", constrained("node.labels.disk", ConstraintOperator.NOT_EQUALS, "hdd")),
            node("n1")),
        arguments(named("a missing label with not-in", constrained("node.labels.disk", ConstraintOperator.NOT_IN, "hdd")),
            node("n1")),
        arguments(named("a newer version", constrained("node.labels.kernel", ConstraintOperator.VERSION_GT, "1.9")),
            node("n1").label("kernel", "v1.10")),
        arguments(named("an address equal", constrained("node.address", ConstraintOperator.EQUALS, "127.0.0.9")),
            node("n1").address("127.0.0.9")),
        arguments(named("a conflicting workload elsewhere only", web().withConflicts(Set.of("shop/db"))),
            node("n1").runs("shop/api", 2)),
        arguments(named("another workload with distinct nodes", web().withDistinctNodes(true)), node("n1").runs("shop/api", 1)),
        arguments(named("a named volume on this node", web().withVolumes(List.of(new NamedVolume("shop/data", "n1")))),
            node("n1")),
        arguments(named("a named volume not created yet", web().withVolumes(List.of(NamedVolume.unheld("shop/data")))),
            node("n1")));
  }

  @ParameterizedTest(name = "{0} is placed")
  @MethodSource("feasible")
  void aNodeThatPassesEveryRuleTakesTheInstance(Demand demand, Nodes.Builder node) {
    assertThat(scheduler.schedule(demand, cluster(node))).isEqualTo(new Plan.Placement("n1", List.of()));
  }

  @Test
  void theFirstFailingRuleIsTheVetoStateBeforeFit() {
    Demand demand = web().withDrivers(Set.of("docker"));
    Plan plan = scheduler.schedule(demand, cluster(node("n1").draining().used(4000, 4096)));
    assertThat(plan.vetoes()).extracting(Veto::toString).containsExactly("n1: node is draining");
  }

  @Test
  void anEmptyClusterSaysSo() {
    Plan plan = scheduler.schedule(web(), new ClusterSnapshot(List.of()));
    assertThat(((Plan.NoPlacement) plan).summary()).isEqualTo("no nodes are registered");
    assertThat(plan.reasons().text()).isEqualTo("no nodes are registered");
  }

  @Test
  void aPlacementStillReportsTheOtherNodesVetoes() {
    Plan plan = scheduler.schedule(web(), cluster(node("a"), node("b").down()));
    assertThat(plan).isEqualTo(new Plan.Placement("a", List.of(new Veto("b", new Reason.NodeNotReady()))));
  }
}
