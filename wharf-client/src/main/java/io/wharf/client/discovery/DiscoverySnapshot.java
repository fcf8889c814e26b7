package io.wharf.client.discovery;

import io.wharf.model.Route;
import io.wharf.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One consistent view for a data plane: the routes, the services (to resolve a backend's port
 * name) and the ready endpoints of every service port. Immutable.
 */
public record DiscoverySnapshot(long revision, List<Route> routes, Map<String, Service> services,
                                Map<ServicePort, List<Endpoint>> endpoints) {
  public static final DiscoverySnapshot EMPTY = new DiscoverySnapshot(0, List.of(), Map.of(), Map.of());

  public DiscoverySnapshot {
    routes = List.copyOf(routes);
    services = Map.copyOf(services);
    endpoints = Map.copyOf(endpoints);
  }

  public Optional<Service> service(String namespace, String name) {
    return Optional.ofNullable(services.get(namespace + "/" + name));
  }

  public List<Endpoint> endpoints(ServicePort port) {
    return endpoints.getOrDefault(port, List.of());
  }
}
