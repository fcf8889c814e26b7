package io.wharf.scheduler;

import java.util.List;
import java.util.Objects;

/**
 * The answer for {@code requested} instances of one demand: the node of each instance placed, in
 * placement order (a node appears once per instance), and — when some could not be placed — every
 * node's veto at the moment placement stopped.
 */
public record BatchPlan(String workload, int requested, List<String> nodes, List<Veto> vetoes) {
  public BatchPlan {
    Objects.requireNonNull(workload, "workload");
    if (requested < 0 || nodes.size() > requested) {
      throw new IllegalArgumentException("placed " + nodes.size() + " of " + requested);
    }
    nodes = List.copyOf(nodes);
    vetoes = List.copyOf(vetoes);
  }

  public int placed() {
    return nodes.size();
  }

  public int unplaced() {
    return requested - nodes.size();
  }

  public boolean complete() {
    return nodes.size() == requested;
  }

  /** Why the rest could not be placed, grouped by cause; empty when complete. */
  public VetoSummary reasons() {
    return complete() ? VetoSummary.NONE : VetoSummary.of(vetoes);
  }
}
