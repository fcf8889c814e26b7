package io.wharf.server.watch;

import io.wharf.server.registry.ResourceType;
import java.util.Objects;

/**
 * One change to one object as clients see it. {@code data} is the SSE payload, serialized once
 * by the hub and shared by every client that receives it. {@code namespace} is null for
 * cluster-scoped objects.
 */
public record Change(String type, ResourceType kind, String namespace, String name, long revision, String data) {
  public Change {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(data, "data");
  }
}
