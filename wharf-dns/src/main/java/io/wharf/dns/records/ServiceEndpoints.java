package io.wharf.dns.records;

import java.util.List;
import java.util.Objects;

/** The ready endpoints of one service, answered as {@code <service>.<namespace>.<zone>}. */
public record ServiceEndpoints(String namespace, String service, List<Endpoint> endpoints) {

  public ServiceEndpoints {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(service, "service");
    endpoints = List.copyOf(endpoints);
  }
}
