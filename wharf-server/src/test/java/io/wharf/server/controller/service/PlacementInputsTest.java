package io.wharf.server.controller.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.Node;
import io.wharf.model.ResourceRef;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.NodeSpec;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.Protocol;
import io.wharf.model.task.TaskSpec;
import io.wharf.server.fixture.FakeCluster;
import io.wharf.server.fixture.Samples;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementInputsTest {
  static Instance on(String node, Map<String, Integer> ports) {
    return new Instance(Metadata.of("x-aaaaa", "shop"), new InstanceSpec(new ResourceRef(Kind.SERVICE, "shop", "x"), 1,
        node, List.of(Samples.task()), ports));
  }

  static TaskSpec withPorts(PortSpec... ports) {
    return Samples.task().withPorts(List.of(ports));
  }

  @Test
  void dynamicPortsTakeTheLowestFreeOnesOfTheNodeAndFixedOnesStayAsGiven() {
    List<Instance> others = List.of(on("n1", Map.of("http", 20000, "admin", 20002)), on("n2", Map.of("http", 20001)));
    var tasks = List.of(withPorts(PortSpec.tcp("http", 0), PortSpec.tcp("admin", 0), PortSpec.tcp("web", 8080),
        new PortSpec("dns", 53, Protocol.UDP, null, 5353)));

    var assigned = PlacementInputs.assignPorts(tasks, "n1", others, new PlacementInputs.PortRange(20000, 20010));

    assertThat(assigned).contains(Map.of("http", 20001, "admin", 20003, "web", 8080, "dns", 5353));
  }

  @Test
  void anExhaustedRangeAssignsNothing() {
    List<Instance> others = List.of(on("n1", Map.of("http", 20000, "admin", 20001)));

    var assigned = PlacementInputs.assignPorts(List.of(withPorts(PortSpec.tcp("http", 0))), "n1", others,
        new PlacementInputs.PortRange(20000, 20001));

    assertThat(assigned).isEmpty();
  }

  @Test
  void instanceNamesAreTheServiceAndFiveLowercaseCharacters() {
    assertThat(ServiceController.instanceName("web")).matches("web-[a-z0-9]{8}");
    assertThat(ServiceController.instanceName("a".repeat(63))).hasSize(63).matches("a{54}-[a-z0-9]{8}");
  }

  @Test
  void reusedCandidatesMatchAFreshSnapshotAfterTheNodeOrItsUsageChanges() {
    var candidates = new PlacementInputs.Candidates();
    Node n1 = FakeCluster.node("n1", 4, 4096, Map.of("zone", "a"));
    Node n2 = FakeCluster.node("n2", 4, 4096, Map.of("zone", "b"));
    var usage = NodeUsage.of(List.of(on("n1", Map.of("http", 20000))));
    candidates.snapshot(List.of(n1, n2), usage);

    Node n2Drained = n2.withSpec(new NodeSpec(true, true));
    var more = NodeUsage.of(List.of(on("n1", Map.of("http", 20000)), on("n1", Map.of("http", 20001))));

    assertThat(candidates.snapshot(List.of(n1, n2Drained), more))
        .isEqualTo(PlacementInputs.snapshot(List.of(n1, n2Drained), more));
    assertThat(candidates.snapshot(List.of(n1), usage)).isEqualTo(PlacementInputs.snapshot(List.of(n1), usage));
  }
}
