package io.wharf.server.controller.rollout;

import io.wharf.model.Instance;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Since when each instance of a service has been ready without a restart, as the controller
 * observed it (the instance status says whether it is ready now, not since when). A restart or
 * any pass that finds it not ready starts the count again. Kept in memory by the leader: a new
 * leader starts counting afresh, which only delays a rollout by {@code minHealthyTime}.
 *
 * <p>Thread safety: safe for many threads; each service is observed by one worker at a time.
 */
final class ReadySince {
  private record Seen(Instant since, int restarts) {}

  private final ConcurrentHashMap<String, Map<String, Seen>> byService = new ConcurrentHashMap<>();

  /** Observes the service's live instances at {@code now}; returns name → ready since (ready ones only). */
  Map<String, Instant> observe(String serviceKey, List<Instance> live, Predicate<Instance> ready, Instant now) {
    Map<String, Seen> before = byService.getOrDefault(serviceKey, Map.of());
    Map<String, Seen> after = new HashMap<>();
    Map<String, Instant> out = new HashMap<>();
    for (Instance i : live) {
      if (!ready.test(i)) {
        continue;
      }
      String name = i.metadata().name();
      Seen seen = before.get(name);
      if (seen == null || seen.restarts() != i.status().restarts()) {
        seen = new Seen(now, i.status().restarts());
      }
      after.put(name, seen);
      out.put(name, seen.since());
    }
    if (after.isEmpty()) {
      byService.remove(serviceKey);
    } else {
      byService.put(serviceKey, after);
    }
    return out;
  }

  void forget(String serviceKey) {
    byService.remove(serviceKey);
  }
}
