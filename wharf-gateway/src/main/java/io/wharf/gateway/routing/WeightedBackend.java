package io.wharf.gateway.routing;

import io.wharf.client.discovery.ServicePort;
import io.wharf.gateway.upstream.Balancer;
import io.wharf.gateway.upstream.Upstream;
import java.util.List;

/** One backend of a route in a snapshot: its service port, weight, endpoints and balancer. */
public record WeightedBackend(ServicePort port, int weight, List<Upstream> upstreams, Balancer balancer) {
  public WeightedBackend {
    upstreams = List.copyOf(upstreams);
  }
}
