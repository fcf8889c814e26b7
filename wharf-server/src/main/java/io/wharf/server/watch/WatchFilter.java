package io.wharf.server.watch;

import io.wharf.server.registry.ResourceType;
import java.util.Set;

/** Which changes a client wants: kinds (empty = all) and one namespace (null = all). */
public record WatchFilter(Set<ResourceType> kinds, String namespace) {
  public WatchFilter {
    kinds = Set.copyOf(kinds);
  }

  public static final WatchFilter EVERYTHING = new WatchFilter(Set.of(), null);

  public boolean matches(Change change) {
    return (kinds.isEmpty() || kinds.contains(change.kind()))
        && (namespace == null || namespace.equals(change.namespace()));
  }
}
