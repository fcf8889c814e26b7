package io.wharf.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import io.wharf.model.workload.PlacementStrategy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulerTest {
  static final Scheduler scheduler = new Scheduler();

  static ComputeResources res(long millicores, long mebibytes) {
    return new ComputeResources(new Cpu(millicores), ByteSize.ofMebibytes(mebibytes));
  }

  static Demand demand() {
    return new Demand("shop/web", res(500, 256), Set.of("process"), Set.of(), List.of(), PlacementStrategy.BINPACK);
  }

  static NodeCandidate node(String name) {
    return new NodeCandidate(name, true, false, Map.of("zone", "a"), Set.of("process", "java"), res(4000, 4096),
        res(0, 0), Set.of(), Map.of());
  }

  static Demand with(Demand d, UnaryOperator<Demand> change) {
    return change.apply(d);
  }

  static Constraint constraint(String attribute, ConstraintOperator op, String value) {
    return new Constraint(attribute, op, value);
  }

  static Demand constrained(Constraint c) {
    Demand d = demand();
    return new Demand(d.workload(), d.resources(), d.drivers(), d.hostPorts(), List.of(c), d.strategy());
  }

  static NodeCandidate node(String name, boolean ready, boolean draining, Set<String> drivers, ComputeResources used,
      Set<Integer> ports) {
    return new NodeCandidate(name, ready, draining, Map.of("zone", "a"), drivers, res(4000, 4096), used, ports, Map.of());
  }

  static Stream<Arguments> vetoes() {
    Demand d = demand();
    return Stream.of(
        Arguments.of(Named.of("a node that is not ready", d), node("n1", false, false, Set.of("process"), res(0, 0), Set.of()),
            "node is not ready"),
        Arguments.of(Named.of("a draining node", d), node("n1", true, true, Set.of("process"), res(0, 0), Set.of()),
            "node is draining"),
        Arguments.of(Named.of("a missing driver", new Demand("shop/web", res(1, 1), Set.of("docker", "process"), Set.of(),
            List.of(), PlacementStrategy.BINPACK)), node("n1", true, false, Set.of("process", "java"), res(0, 0), Set.of()),
            "driver docker missing (node has java, process)"),
        Arguments.of(Named.of("not enough cpu", d), node("n1", true, false, Set.of("process"), res(3800, 0), Set.of()),
            "not enough cpu (need 500m, free 200m of 4)"),
        Arguments.of(Named.of("not enough memory", d), node("n1", true, false, Set.of("process"), res(0, 4000), Set.of()),
            "not enough memory (need 256Mi, free 96Mi of 4Gi)"),
        Arguments.of(Named.of("a taken port", new Demand("shop/web", res(1, 1), Set.of("process"), Set.of(8080, 9090),
            List.of(), PlacementStrategy.BINPACK)), node("n1", true, false, Set.of("process"), res(0, 0), Set.of(8080, 22)),
            "port 8080 already in use"),
        Arguments.of(Named.of("a label that differs", constrained(constraint("node.labels.zone", ConstraintOperator.EQUALS, "b"))),
            node("n1"), "constraint node.labels.zone == b not met (zone=a)"),
        Arguments.of(Named.of("a label that is missing", constrained(constraint("node.labels.gpu", ConstraintOperator.EXISTS, null))),
            node("n1"), "constraint node.labels.gpu exists not met (gpu not set)"),
        Arguments.of(Named.of("a label outside a set", constrained(constraint("node.labels.zone", ConstraintOperator.IN, "b, c"))),
            node("n1"), "constraint node.labels.zone in b, c not met (zone=a)"),
        Arguments.of(Named.of("a name that is excluded", constrained(constraint("node.name", ConstraintOperator.NOT_EQUALS, "n1"))),
            node("n1"), "constraint node.name != n1 not met (node.name=n1)"));
  }

  @ParameterizedTest(name = "{0} is vetoed")
  @MethodSource("vetoes")
  void aNodeThatCannotTakeTheDemandIsVetoedWithAReadableReason(Demand demand, NodeCandidate node, String reason) {
    Plan plan = scheduler.schedule(demand, new ClusterSnapshot(List.of(node)));

    assertThat(plan).isInstanceOf(Plan.NoPlacement.class);
    assertThat(plan.vetoes()).extracting(Veto::toString).containsExactly("n1: " + reason);
    assertThat(((Plan.NoPlacement) plan).summary()).isEqualTo("no node fits: n1: " + reason);
  }

  static Stream<Arguments> feasible() {
    return Stream.of(
        Arguments.of(Named.of("label equal", constraint("node.labels.zone", ConstraintOperator.EQUALS, "a"))),
        Arguments.of(Named.of("label in set", constraint("node.labels.zone", ConstraintOperator.IN, "a,b"))),
        Arguments.of(Named.of("label not in set", constraint("node.labels.zone", ConstraintOperator.NOT_IN, "b,c"))),
        Arguments.of(Named.of("label matches", constraint("node.labels.zone", ConstraintOperator.REGEX, "[a-c]"))),
        Arguments.of(Named.of("name equal", constraint("node.name", ConstraintOperator.EQUALS, "n1"))));
  }

  @ParameterizedTest(name = "{0} is met")
  @MethodSource("feasible")
  void aMetConstraintPlacesTheInstance(Constraint c) {
    assertThat(scheduler.schedule(constrained(c), new ClusterSnapshot(List.of(node("n1")))))
        .isEqualTo(new Plan.Placement("n1", List.of()));
  }

  @Test
  void binPackPrefersTheFullestNodeThatFitsAndReportsTheOthersVetoes() {
    NodeCandidate empty = node("a-empty");
    NodeCandidate half = node("b-half", true, false, Set.of("process"), res(2000, 2048), Set.of());
    NodeCandidate down = node("c-down", false, false, Set.of("process"), res(0, 0), Set.of());

    Plan plan = scheduler.schedule(demand(), new ClusterSnapshot(List.of(empty, half, down)));

    assertThat(plan).isEqualTo(new Plan.Placement("b-half", List.of(new Veto("c-down", new Reason.NodeNotReady()))));
  }

  @Test
  void spreadPrefersTheNodeWithFewestInstancesOfTheWorkload() {
    Demand d = demand();
    Demand spread = new Demand(d.workload(), d.resources(), d.drivers(), d.hostPorts(), d.constraints(),
        PlacementStrategy.SPREAD);
    NodeCandidate busy = new NodeCandidate("a", true, false, Map.of(), Set.of("process"), res(4000, 4096), res(500, 256),
        Set.of(), Map.of("shop/web", 1));
    NodeCandidate other = new NodeCandidate("b", true, false, Map.of(), Set.of("process"), res(4000, 4096),
        res(1000, 512), Set.of(), Map.of("shop/api", 2));

    assertThat(scheduler.schedule(spread, new ClusterSnapshot(List.of(busy, other))))
        .isEqualTo(new Plan.Placement("b", List.of()));
    assertThat(scheduler.schedule(d, new ClusterSnapshot(List.of(busy, other))))
        .as("bin-pack picks the fuller one").isEqualTo(new Plan.Placement("b", List.of()));
  }

  @Test
  void anEmptyClusterSaysSo() {
    Plan plan = scheduler.schedule(demand(), new ClusterSnapshot(List.of()));
    assertThat(((Plan.NoPlacement) plan).summary()).isEqualTo("no nodes are registered");
  }
}
