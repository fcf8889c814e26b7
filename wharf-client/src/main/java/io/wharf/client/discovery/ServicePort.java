package io.wharf.client.discovery;

import java.util.Objects;

/** A named port of a service in a namespace: the key endpoints are grouped by. */
public record ServicePort(String namespace, String service, String port) {
  public ServicePort {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(port, "port");
  }

  @Override
  public String toString() {
    return namespace + "/" + service + ":" + port;
  }
}
