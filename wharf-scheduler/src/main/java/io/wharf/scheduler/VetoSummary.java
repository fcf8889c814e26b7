package io.wharf.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Vetoes grouped by cause for people ({@code wharf plan}, {@code wharf describe}, a service's
 * condition): groups ordered by node count, largest first, then by text. {@link #text()} gives
 * {@code 3 nodes: not enough memory (need 512Mi, largest free 256Mi); 2 nodes: constraint
 * node.labels.zone == eu not met}; {@link #groups()} the same as data.
 */
public record VetoSummary(List<Group> groups) {
  /** How many nodes to name per group in {@link Group#nodes()}: enough to act on, short enough to print. */
  public static final int NODES_NAMED = 5;

  public static final VetoSummary NONE = new VetoSummary(List.of());

  /**
   * One cause: its sentence, how many nodes it refused, and the first {@link #NODES_NAMED} of
   * them by name.
   */
  public record Group(String reason, int count, List<String> nodes) {
    public Group {
      Objects.requireNonNull(reason, "reason");
      nodes = List.copyOf(nodes);
    }

    public String text() {
      return count + (count == 1 ? " node: " : " nodes: ") + reason;
    }
  }

  public VetoSummary {
    groups = List.copyOf(groups);
  }

  public static VetoSummary of(List<Veto> vetoes) {
    Map<String, List<Veto>> byGroup = new LinkedHashMap<>();
    for (Veto v : vetoes) {
      byGroup.computeIfAbsent(v.reason().group(), g -> new ArrayList<>()).add(v);
    }
    List<Group> groups = new ArrayList<>();
    for (List<Veto> members : byGroup.values()) {
      List<Reason> reasons = members.stream().map(Veto::reason).toList();
      List<String> nodes = members.stream().map(Veto::node).sorted().limit(NODES_NAMED).toList();
      groups.add(new Group(reasons.get(0).groupText(reasons), members.size(), nodes));
    }
    groups.sort(Comparator.comparingInt(Group::count).reversed().thenComparing(Group::reason));
    return new VetoSummary(groups);
  }

  public boolean isEmpty() {
    return groups.isEmpty();
  }

  /** Every group on one line, {@code ; }-separated; {@code no nodes are registered} when empty. */
  public String text() {
    if (groups.isEmpty()) {
      return "no nodes are registered";
    }
    return groups.stream().map(Group::text).collect(Collectors.joining("; "));
  }

  @Override
  public String toString() {
    return text();
  }
}
