package io.wharf.dns.records;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One ready instance: its name (the SRV target's first label), the address it is reached at
 * (the node's) and its published ports.
 */
public record Endpoint(String instance, InetAddress address, List<EndpointPort> ports) {

  public Endpoint {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(address, "address");
    ports = List.copyOf(ports);
  }
}
