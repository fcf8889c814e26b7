package io.wharf.client.stack;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A plan's dry run for one service: of {@code instances} new instances, how many go to each node
 * ({@code byNode}) on the cluster as it is, and why the rest cannot be placed ({@code reasons},
 * grouped by cause; null when all fit).
 */
public record PlacementPreview(String namespace, String name, int instances, Map<String, Integer> byNode,
    String reasons) {
  public PlacementPreview {
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
    byNode = java.util.Collections.unmodifiableMap(new TreeMap<>(byNode));
  }

  public int placed() {
    return byNode.values().stream().mapToInt(Integer::intValue).sum();
  }
}
