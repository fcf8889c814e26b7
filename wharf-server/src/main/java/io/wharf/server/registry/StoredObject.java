package io.wharf.server.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A resource as stored: its JSON object with {@code metadata.revision} set to the store
 * revision that last changed it. The tree is never mutated after construction; copy it
 * ({@code object().deepCopy()}) to derive another.
 */
public record StoredObject(ResourceType type, String key, ObjectNode object, long revision) {
  public StoredObject {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(object, "object");
  }

  public String name() {
    return object.path("metadata").path("name").asText();
  }

  /** The namespace, or null for cluster-scoped objects. */
  public String namespace() {
    var ns = object.path("metadata").path("namespace");
    return ns.isTextual() ? ns.asText() : null;
  }

  public String label(String key) {
    var v = object.path("metadata").path("labels").path(key);
    return v.isTextual() ? v.asText() : null;
  }
}
