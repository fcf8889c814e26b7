package io.wharf.server.controller.service;

import io.wharf.model.Instance;
import io.wharf.model.Node;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.NodeState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One service's instances sorted into what the controller acts on. Pure: built from the
 * instances and a node lookup.
 *
 * <ul>
 *   <li><b>lost</b>: failed with reason {@value ServiceController#NODE_DOWN} (their node went
 *       down), or {@code rejected} by their node (a dynamic port was taken there); they hold
 *       nothing and are removed once replaced;</li>
 *   <li><b>live</b>: every other instance;</li>
 *   <li><b>pairs</b>: a live instance labelled {@value #REPLACES} = the name of another live
 *       instance it replaces (a migration off a drained node, or a rebalancing move); the old
 *       one is removed once its replacement is ready;</li>
 *   <li><b>leaving</b>: live instances on a node being drained that have no replacement yet.</li>
 * </ul>
 * A pair counts once toward the replicas ({@link #effective}).
 */
record InstanceGroups(List<Instance> lost, List<Instance> live, Map<String, Instance> replacementOf,
    List<Instance> leaving) {
  /** The label of a replacement naming the instance it replaces. */
  static final String REPLACES = "wharf.io/replaces";

  static InstanceGroups of(List<Instance> owned, Function<String, Optional<Node>> nodes, Predicate<Node> leavingNode) {
    List<Instance> lost = new ArrayList<>();
    List<Instance> live = new ArrayList<>();
    for (Instance i : owned) {
      if (isLost(i) || i.status().state() == InstanceState.REJECTED) {
        lost.add(i);
      } else {
        live.add(i);
      }
    }
    Map<String, Instance> byName = new HashMap<>();
    live.forEach(i -> byName.put(i.metadata().name(), i));
    Map<String, Instance> replacementOf = new HashMap<>();
    for (Instance i : live) {
      String old = i.metadata().labels().get(REPLACES);
      if (old != null && byName.containsKey(old) && !old.equals(i.metadata().name())) {
        replacementOf.put(old, i);
      }
    }
    Set<String> paired = paired(replacementOf);
    List<Instance> leaving = new ArrayList<>();
    for (Instance i : live) {
      if (paired.contains(i.metadata().name())) {
        continue;
      }
      Optional<Node> node = nodes.apply(i.spec().node());
      if (node.isPresent() && leavingNode.test(node.get())) {
        leaving.add(i);
      }
    }
    return new InstanceGroups(lost, live, replacementOf, leaving);
  }

  /** Names of both halves of every pair (a name lookup: instances are deep records, slow to compare). */
  private static Set<String> paired(Map<String, Instance> replacementOf) {
    Set<String> out = new HashSet<>(replacementOf.keySet());
    replacementOf.values().forEach(r -> out.add(r.metadata().name()));
    return out;
  }

  static boolean isLost(Instance i) {
    return i.status().state() == InstanceState.FAILED && ServiceController.NODE_DOWN.equals(i.status().exitReason());
  }

  /** Why a lost instance is removed (its replacement's event says it). */
  static String removalReason(Instance lost) {
    return lost.status().state() == InstanceState.REJECTED
        ? "rejected by node " + lost.spec().node() + ": " + lost.status().exitReason() : "lost with its node";
  }

  /** Whether a node is down as far as its instances are concerned (unknown counts as down). */
  static boolean down(Optional<Node> node) {
    return node.isEmpty() || node.get().status().state() == NodeState.DOWN;
  }

  /** Live instances, a replaced one and its replacement counted once. */
  int effective() {
    return live.size() - replacementOf.size();
  }

  /** Replacements not yet ready: migrations in flight. */
  int inFlight() {
    return (int) replacementOf.values().stream().filter(r -> !ServiceStatuses.ready(r)).count();
  }

  /** Old instances whose replacement is ready. */
  List<Instance> replacedAndReady() {
    List<Instance> out = new ArrayList<>();
    for (Instance old : live) {
      Instance r = replacementOf.get(old.metadata().name());
      if (r != null && ServiceStatuses.ready(r)) {
        out.add(old);
      }
    }
    return out;
  }

  /**
   * The {@code n} live instances to remove when scaling in: leaving ones first, then the newest.
   * Halves of pairs are never chosen (removing one would not change {@link #effective}).
   */
  List<Instance> scaleInVictims(int n) {
    Set<String> paired = paired(replacementOf);
    Set<String> leavingNames = new HashSet<>();
    leaving.forEach(i -> leavingNames.add(i.metadata().name()));
    List<Instance> order = new ArrayList<>();
    for (Instance i : live) {
      if (!paired.contains(i.metadata().name())) {
        order.add(i);
      }
    }
    Comparator<Instance> newestFirst = Comparator.comparing((Instance i) -> i.metadata().createdAt(),
        Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(i -> i.metadata().name()).reversed();
    order.sort(Comparator.comparingInt((Instance i) -> leavingNames.contains(i.metadata().name()) ? 0 : 1)
        .thenComparing(newestFirst));
    return order.subList(0, Math.min(n, order.size()));
  }
}
