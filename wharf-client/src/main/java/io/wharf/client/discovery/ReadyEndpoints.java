package io.wharf.client.discovery;

import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.TaskSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which instances serve traffic and where: pure functions shared by every data plane (gateway,
 * DNS, ambassadors), so they agree on what "ready" means.
 *
 * <p>An instance is ready when it is running and passes readiness: healthy, or, when none of its
 * tasks has a readiness check, not unhealthy. Its endpoint for a port name is the node's address
 * with the host port assigned to that name at placement; instances on nodes without an address
 * (not yet reported) are left out.
 */
public final class ReadyEndpoints {
  private ReadyEndpoints() {}

  public static boolean ready(Instance i) {
    if (i.status().state() != InstanceState.RUNNING) {
      return false;
    }
    boolean hasReadiness = i.spec().tasks().stream().map(TaskSpec::health)
        .anyMatch(h -> h != null && h.readiness() != null);
    return i.status().health() == Health.HEALTHY
        || (!hasReadiness && i.status().health() != Health.UNHEALTHY);
  }

  /**
   * The ready endpoints of every service port, each list sorted by address (stable, so two
   * derivations from the same state are equal). Instances of jobs are left out.
   */
  public static Map<ServicePort, List<Endpoint>> of(Collection<Instance> instances, Collection<Node> nodes) {
    Map<String, String> addresses = new HashMap<>();
    for (Node n : nodes) {
      if (n.status().address() != null) {
        addresses.put(n.metadata().name(), n.status().address());
      }
    }
    Map<ServicePort, List<Endpoint>> out = new HashMap<>();
    for (Instance i : instances) {
      if (i.spec().owner().kind() != Kind.SERVICE || !ready(i)) {
        continue;
      }
      String host = addresses.get(i.spec().node());
      if (host == null) {
        continue;
      }
      i.spec().assignedPorts().forEach((name, port) -> {
        if (port != null && port > 0) {
          out.computeIfAbsent(new ServicePort(i.metadata().namespace(), i.spec().owner().name(), name),
              k -> new ArrayList<>()).add(new Endpoint(host, port, i.metadata().name()));
        }
      });
    }
    out.replaceAll((k, list) -> list.stream()
        .sorted(Comparator.comparing(Endpoint::host).thenComparingInt(Endpoint::port)).toList());
    return Map.copyOf(out);
  }

  /**
   * The port name a route's backend means: a name as it is, a number as the name of the
   * service's port with that (container) number, null as the service's only port. Empty when
   * the service has no such port (or, for null, not exactly one).
   */
  public static Optional<String> portName(Service service, String port) {
    List<PortSpec> ports = service.spec().tasks().stream().flatMap(t -> t.ports().stream()).toList();
    if (port == null) {
      return ports.size() == 1 ? Optional.of(ports.get(0).name()) : Optional.empty();
    }
    if (port.chars().allMatch(Character::isDigit)) {
      int number = Integer.parseInt(port);
      return ports.stream().filter(p -> p.port() == number).map(PortSpec::name).findFirst();
    }
    return ports.stream().map(PortSpec::name).filter(port::equals).findFirst();
  }
}
