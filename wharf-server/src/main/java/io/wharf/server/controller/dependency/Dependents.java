package io.wharf.server.controller.dependency;

import io.wharf.model.Service;
import io.wharf.model.workload.Dependency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reverse edges of {@code dependsOn} among services: which services (keys
 * {@code namespace/name}) depend on a given service or job name. Fed with every service change of
 * the cluster cache, so a dependency's change can queue the services waiting on it (and a deleted
 * dependent can queue the services it held back from stopping). Thread safety: all methods lock.
 */
public final class Dependents {
  private final ReentrantLock lock = new ReentrantLock();
  /** dependency key → dependent keys. */
  private final Map<String, Set<String>> reverse = new HashMap<>();
  /** dependent key → its dependency keys, to drop old edges on change. */
  private final Map<String, List<String>> forward = new HashMap<>();

  /** Records a service's current edges; {@code after} null = the service was deleted. */
  public void update(String namespace, String name, Service after) {
    String key = namespace + "/" + name;
    List<String> next = after == null ? List.of()
        : after.spec().dependsOn().stream().map(d -> namespace + "/" + d.name()).toList();
    lock.lock();
    try {
      List<String> previous = forward.remove(key);
      if (previous != null) {
        for (String dep : previous) {
          Set<String> set = reverse.get(dep);
          if (set != null && set.remove(key) && set.isEmpty()) {
            reverse.remove(dep);
          }
        }
      }
      if (!next.isEmpty()) {
        forward.put(key, next);
        next.forEach(dep -> reverse.computeIfAbsent(dep, k -> new HashSet<>()).add(key));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Keys of the services that depend on {@code namespace/name}. */
  public Set<String> of(String namespace, String name) {
    lock.lock();
    try {
      return Set.copyOf(reverse.getOrDefault(namespace + "/" + name, Set.of()));
    } finally {
      lock.unlock();
    }
  }

  /** Keys of what the service {@code namespace/name} depends on (as last seen). */
  public List<String> dependenciesOf(String namespace, String name) {
    lock.lock();
    try {
      return forward.getOrDefault(namespace + "/" + name, List.of());
    } finally {
      lock.unlock();
    }
  }

  /** The names a service depends on. */
  public static List<String> names(Service service) {
    return service.spec().dependsOn().stream().map(Dependency::name).toList();
  }
}
