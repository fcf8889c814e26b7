package io.wharf.gateway;

import io.wharf.client.discovery.DiscoverySnapshot;
import io.wharf.client.discovery.Endpoint;
import io.wharf.client.discovery.ServicePort;
import io.wharf.model.Metadata;
import io.wharf.model.Route;
import io.wharf.model.Service;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.model.routing.Backend;
import io.wharf.model.routing.RouteSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds discovery snapshots for tests: services with one port named {@code http}. */
final class Snapshots {
  private final List<Route> routes = new ArrayList<>();
  private final Map<String, Service> services = new HashMap<>();
  private final Map<ServicePort, List<Endpoint>> endpoints = new HashMap<>();
  private long revision = 1;

  Snapshots route(String name, RouteSpec spec) {
    routes.add(new Route(Metadata.of(name, "default"), spec));
    return this;
  }

  Snapshots service(String name, int... ports) {
    TaskSpec task = TaskSpec.main(name, new ProcessDriver(List.of("true"), List.of(), null))
        .withPorts(List.of(PortSpec.tcp("http", 8080)));
    services.put("default/" + name, new Service(Metadata.of(name, "default"), ServiceSpec.of(1, task), null));
    List<Endpoint> list = new ArrayList<>();
    for (int p : ports) {
      list.add(new Endpoint("127.0.0.1", p, name + "-" + p));
    }
    endpoints.put(new ServicePort("default", name, "http"), list);
    return this;
  }

  DiscoverySnapshot build() {
    return new DiscoverySnapshot(revision++, routes, services, endpoints);
  }

  static RouteSpec to(String path, String... services) {
    List<Backend> backends = new ArrayList<>();
    for (String s : services) {
      backends.add(new Backend(s, "http", 100));
    }
    return new RouteSpec(null, path, backends, false, null, 0, null, null);
  }
}
