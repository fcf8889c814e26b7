package io.wharf.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.quantity.ByteSize;
import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import java.util.List;
import org.junit.jupiter.api.Test;

class VetoSummaryTest {
  static Veto memory(String node, long freeMi) {
    return new Veto(node, new Reason.NotEnoughMemory(ByteSize.ofMebibytes(512), ByteSize.ofMebibytes(freeMi),
        ByteSize.ofMebibytes(4096)));
  }

  static Veto zone(String node, String actual) {
    return new Veto(node, new Reason.ConstraintNotMet(new Constraint("node.labels.zone", ConstraintOperator.EQUALS,
        "eu"), actual));
  }

  @Test
  void groupsAreCountedAndOrderedByCountWithTheLargestFreeAmount() {
    VetoSummary summary = VetoSummary.of(List.of(zone("n1", "us"), memory("n2", 100), memory("n3", 256),
        zone("n4", null), memory("n5", 0), new Veto("n6", "no free port left in 20000-32000")));

    assertThat(summary.text()).isEqualTo("3 nodes: not enough memory (need 512Mi, largest free 256Mi); "
        + "2 nodes: constraint node.labels.zone == eu not met; 1 node: no free port left in 20000-32000");
    assertThat(summary.groups()).containsExactly(
        new VetoSummary.Group("not enough memory (need 512Mi, largest free 256Mi)", 3, List.of("n2", "n3", "n5")),
        new VetoSummary.Group("constraint node.labels.zone == eu not met", 2, List.of("n1", "n4")),
        new VetoSummary.Group("no free port left in 20000-32000", 1, List.of("n6")));
  }

  @Test
  void aGroupNamesOnlyItsFirstFiveNodes() {
    List<Veto> many = java.util.stream.IntStream.range(0, 9).mapToObj(i -> new Veto("n" + i, "node is odd")).toList();
    assertThat(VetoSummary.of(many).groups().get(0).nodes()).containsExactly("n0", "n1", "n2", "n3", "n4");
  }

  @Test
  void equalCountsAreOrderedByText() {
    assertThat(VetoSummary.of(List.of(new Veto("a", "zebra"), new Veto("b", "apple"))).text())
        .isEqualTo("1 node: apple; 1 node: zebra");
  }
}
