package io.wharf.scheduler;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The scheduler's answer: a node, or no node and every node's veto. */
public sealed interface Plan {
  /** Every node that was ruled out and why (may be non-empty for a placement too). */
  List<Veto> vetoes();

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

    /** One line for events and conditions: {@code no node fits: n1: node is down; n2: ...}. */
    public String summary() {
      if (vetoes.isEmpty()) {
        return "no nodes are registered";
      }
      return "no node fits: " + vetoes.stream().map(Veto::toString).collect(Collectors.joining("; "));
    }
  }
}
