package io.wharf.server.controller.service;

import io.wharf.model.Condition;
import io.wharf.model.Instance;
import io.wharf.model.Service;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which node holds each named volume of a service. A named volume lives on the disk of the node
 * that first ran an instance mounting it, so every later instance mounting it must go there —
 * even after every instance was deleted. The mapping is kept in the service's status as the
 * {@value #CONDITION} condition (message {@code data=n1, logs=n1}), so it survives the instances;
 * live instances override it (they show where the volume is now). Pure.
 */
final class VolumeHomes {
  static final String CONDITION = "VolumeHomes";

  private VolumeHomes() {}

  /** Volume (its name in the stack) → node, from the status and then the service's live instances. */
  static Map<String, String> of(Service service, Iterable<Instance> live) {
    Set<String> volumes = PlacementInputs.namedVolumes(service);
    Map<String, String> homes = new TreeMap<>(recorded(service));
    for (Instance i : live) {
      i.spec().tasks().forEach(t -> t.volumes().forEach(v -> {
        if (v.name() != null && volumes.contains(v.name())) {
          homes.putIfAbsent(v.name(), i.spec().node());
        }
      }));
    }
    homes.keySet().retainAll(volumes);
    return homes;
  }

  static Map<String, String> recorded(Service service) {
    Map<String, String> out = new TreeMap<>();
    Optional<Condition> c = service.status().conditions().stream().filter(x -> x.type().equals(CONDITION)).findFirst();
    if (c.isPresent() && c.get().message() != null) {
      for (String pair : c.get().message().split(",\\s*")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return out;
  }

  static Condition condition(Map<String, String> homes, Instant now) {
    return new Condition(CONDITION, true, "Pinned", homes.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")), now);
  }
}
