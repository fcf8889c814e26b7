package io.wharf.server.controller.service;

import io.wharf.model.Condition;
import io.wharf.model.Instance;
import io.wharf.model.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which instances a rebalance moves: while the node running the most instances of the service
 * has at least two more than an eligible node running the fewest, one instance moves from the
 * first to the second, at most {@code parallelism} per round. Requested through the API (the
 * service's {@value #CONDITION} condition turns true) or always on with
 * {@code placement.rebalance}, which makes a joining node receive instances. Pure.
 */
final class Rebalancing {
  static final String CONDITION = "Rebalance";

  private Rebalancing() {}

  static boolean requested(Service service) {
    return service.status().conditions().stream().anyMatch(c -> c.type().equals(CONDITION) && c.status());
  }

  /** The condition a finished rebalance leaves. */
  static Condition done(Instant now) {
    return new Condition(CONDITION, false, "Balanced", "no node runs two more instances than another eligible node",
        now);
  }

  /** A move: the instance and the node its replacement goes to. */
  record Move(Instance instance, String to) {}

  /** Up to {@code parallelism} moves onto {@code eligible} nodes (those that could take one more now). */
  static List<Move> moves(InstanceGroups groups, Set<String> eligible, int parallelism) {
    Map<String, List<Instance>> byNode = new HashMap<>();
    for (Instance i : groups.live()) {
      byNode.computeIfAbsent(i.spec().node(), n -> new ArrayList<>()).add(i);
    }
    for (List<Instance> list : byNode.values()) {
      list.sort(Comparator.comparing((Instance i) -> i.metadata().name()));
    }
    Map<String, Integer> counts = new HashMap<>();
    byNode.forEach((node, list) -> counts.put(node, list.size()));
    List<Move> moves = new ArrayList<>();
    while (moves.size() < parallelism) {
      String from = byNode.keySet().stream().filter(n -> !byNode.get(n).isEmpty())
          .max(Comparator.comparingInt((String n) -> counts.getOrDefault(n, 0)).thenComparing(n -> n)).orElse(null);
      String to = eligible.stream()
          .min(Comparator.comparingInt((String n) -> counts.getOrDefault(n, 0)).thenComparing(n -> n)).orElse(null);
      if (from == null || to == null || counts.getOrDefault(from, 0) - counts.getOrDefault(to, 0) < 2) {
        break;
      }
      Instance moving = byNode.get(from).remove(byNode.get(from).size() - 1);
      moves.add(new Move(moving, to));
      counts.merge(from, -1, Integer::sum);
      counts.merge(to, 1, Integer::sum);
    }
    return moves;
  }
}
