package io.wharf.scheduler;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The scheduler's answer for one instance: a node, or no node and every node's veto. */
public sealed interface Plan {
  /** Every node that was ruled out and why, in node-name order (may be non-empty for a placement too). */
  List<Veto> vetoes();

  /** The vetoes grouped by cause, for people. */
  default VetoSummary reasons() {
    return VetoSummary.of(vetoes());
  }

  record Placement(String node, List<Veto> vetoes) implements Plan {
    public Placement {
      Objects.requireNonNull(node, "node");
      vetoes = List.copyOf(vetoes);
    }
  }

  record NoPlacement(List<Veto> vetoes) implements Plan {
    public NoPlacement {
      vetoes = List.copyOf(vetoes);
    }

    /**
     * Every node's veto on one line: {@code no node fits: n1: node is not ready; n2: ...}. For
     * people prefer {@link #reasons()}, which stays short on a thousand nodes.
     */
    public String summary() {
      if (vetoes.isEmpty()) {
        return "no nodes are registered";
      }
      return "no node fits: " + vetoes.stream().map(Veto::toString).collect(Collectors.joining("; "));
    }
  }
}
