package io.wharf.scheduler;

import java.util.List;

/** The nodes at one moment; placements are re-checked against newer state when applied. */
public record ClusterSnapshot(List<NodeCandidate> nodes) {
  public ClusterSnapshot {
    nodes = List.copyOf(nodes);
  }
}
