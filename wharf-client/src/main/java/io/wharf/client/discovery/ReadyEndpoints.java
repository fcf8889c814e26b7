package io.wharf.client.discovery;

import io.wharf.model.Instance;
import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.model.discovery.Discovery;
import io.wharf.model.discovery.EndpointAddress;
import io.wharf.model.task.PortSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where traffic for a service port goes, for data planes that connect to one port at a time
 * (gateway, ambassadors): wharf-model's {@link Discovery#derive} (the one definition of "ready",
 * shared with the server's endpoints API and DNS) flattened per named port.
 *
 * <p>An instance is ready when it is running and passes readiness ({@link Discovery#ready}); its
 * endpoint for a port name is its address (or its node's) with the host port assigned to that
 * name at placement. External endpoints registered for a service ({@code wharf endpoint add})
 * count too.
 */
public final class ReadyEndpoints {
  private ReadyEndpoints() {}

  /** The endpoints of every service port, each list sorted by host and port. */
  public static Map<ServicePort, List<Endpoint>> of(Collection<Service> services, Collection<Instance> instances,
      Collection<Node> nodes, Collection<io.wharf.model.Endpoint> external) {
    Map<ServicePort, List<Endpoint>> out = new HashMap<>();
    Discovery.derive(services, instances, nodes, external).forEach((key, view) -> {
      for (EndpointAddress a : view.endpoints()) {
        a.ports().forEach((name, port) -> {
          if (port != null && port > 0 && port <= 65535) {
            out.computeIfAbsent(new ServicePort(key.namespace(), key.service(), name), k -> new ArrayList<>())
                .add(new Endpoint(a.address(), port, a.instance()));
          }
        });
      }
    });
    out.replaceAll((k, list) -> list.stream()
        .sorted(Comparator.comparing(Endpoint::host).thenComparingInt(Endpoint::port)).toList());
    return Map.copyOf(out);
  }

  /** As {@link #of(Collection, Collection, Collection, Collection)} without services or external endpoints. */
  public static Map<ServicePort, List<Endpoint>> of(Collection<Instance> instances, Collection<Node> nodes) {
    return of(List.of(), instances, nodes, List.of());
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
