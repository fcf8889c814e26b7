package io.wharf.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The nodes at one moment, ordered by name (the scheduler breaks ties by that order, so plans
 * are deterministic). Placements are re-checked against newer state when applied.
 */
public record ClusterSnapshot(List<NodeCandidate> nodes) {
  public ClusterSnapshot {
    List<NodeCandidate> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing(NodeCandidate::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException("node " + sorted.get(i).name() + " appears twice");
      }
    }
    nodes = List.copyOf(sorted);
  }
}
