package io.wharf.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a global service (one instance per eligible node) should change: {@code eligible} is every
 * node that should run exactly one instance; {@code add} those of them that run none; {@code remove}
 * how many instances to stop per node (all of them on nodes no longer eligible, the extras where
 * there are several); {@code vetoes} why every other node is left out.
 *
 * <p>A node already running an instance keeps it when an operator marks it ineligible (that stops
 * new work only), and its own instance's resources and ports do not count against it.
 */
public record GlobalPlan(String workload, List<String> eligible, List<String> add, Map<String, Integer> remove,
    List<Veto> vetoes) {
  public GlobalPlan {
    Objects.requireNonNull(workload, "workload");
    eligible = List.copyOf(eligible);
    add = List.copyOf(add);
    remove = java.util.Collections.unmodifiableMap(new TreeMap<>(remove));
    vetoes = List.copyOf(vetoes);
  }

  public VetoSummary reasons() {
    return VetoSummary.of(vetoes);
  }
}
