package io.wharf.server.watch;

import io.wharf.server.registry.ResourceType;
import java.util.Set;

/**
 * Which changes a client wants: kinds (empty = all), one namespace (null = all) and one node
 * (null = all). The node filter keeps instances whose {@code spec.node} is that node (other
 * kinds pass it); a change whose node is unknown (a DELETE the backend gave no previous value
 * for) passes too, so an agent never misses the deletion of one of its instances.
 */
public record WatchFilter(Set<ResourceType> kinds, String namespace, String node) {
  public WatchFilter {
    kinds = Set.copyOf(kinds);
  }

  public WatchFilter(Set<ResourceType> kinds, String namespace) {
    this(kinds, namespace, null);
  }

  public static final WatchFilter EVERYTHING = new WatchFilter(Set.of(), null, null);

  public boolean matches(Change change) {
    return (kinds.isEmpty() || kinds.contains(change.kind()))
        && (namespace == null || namespace.equals(change.namespace()))
        && (node == null || change.kind() != ResourceType.INSTANCE || change.node() == null
            || node.equals(change.node()));
  }
}
