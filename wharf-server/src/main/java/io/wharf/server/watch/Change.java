package io.wharf.server.watch;

import io.wharf.server.registry.ResourceType;
import java.util.Objects;

/**
 * One change to one object as clients see it. {@code data} is the SSE payload, serialized once
 * by the hub and shared by every client that receives it. {@code namespace} is null for
 * cluster-scoped objects; {@code node} is an instance's {@code spec.node} (null for other kinds,
 * or when unknown).
 */
public record Change(String type, ResourceType kind, String namespace, String name, long revision, String data,
    String node) {
  public Change {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(data, "data");
  }

  public Change(String type, ResourceType kind, String namespace, String name, long revision, String data) {
    this(type, kind, namespace, name, revision, data, null);
  }
}
