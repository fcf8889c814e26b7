package io.wharf.server.events;

import java.util.Objects;

/** The object an event is about; {@code namespace} is null for cluster-scoped kinds. */
public record InvolvedObject(String kind, String namespace, String name) {
  public InvolvedObject {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }
}
