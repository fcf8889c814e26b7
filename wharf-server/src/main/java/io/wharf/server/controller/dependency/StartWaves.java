package io.wharf.server.controller.dependency;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The start order of a stack as waves: wave 1 holds what depends on nothing (of the stack), wave
 * n+1 what depends only on earlier waves. Members of a wave start in parallel; stopping goes
 * through the waves backwards. Names keep declaration order inside a wave. Dependencies outside
 * the given names are ignored (they do not belong to the stack). Pure.
 */
public final class StartWaves {
  private StartWaves() {}

  /**
   * {@code dependsOn}: name → names it depends on, in declaration order.
   *
   * @throws IllegalArgumentException naming the members left when the graph has a cycle (stack
   *     validation rejects cycles first, so this is a bug guard)
   */
  public static List<List<String>> of(Map<String, List<String>> dependsOn) {
    Map<String, List<String>> left = new LinkedHashMap<>(dependsOn);
    Set<String> placed = new HashSet<>();
    List<List<String>> waves = new ArrayList<>();
    while (!left.isEmpty()) {
      List<String> wave = new ArrayList<>();
      for (var e : left.entrySet()) {
        boolean ready = e.getValue().stream().allMatch(d -> placed.contains(d) || !dependsOn.containsKey(d));
        if (ready) {
          wave.add(e.getKey());
        }
      }
      if (wave.isEmpty()) {
        throw new IllegalArgumentException("dependency cycle among " + String.join(", ", left.keySet()));
      }
      wave.forEach(left::remove);
      placed.addAll(wave);
      waves.add(List.copyOf(wave));
    }
    return List.copyOf(waves);
  }

  /** The stop order: the start waves backwards. */
  public static List<List<String>> reversed(List<List<String>> waves) {
    return List.copyOf(waves.reversed());
  }
}
