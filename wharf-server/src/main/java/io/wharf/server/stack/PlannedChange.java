package io.wharf.server.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import java.util.List;
import java.util.Objects;

/**
 * What applying a stack does to one object. {@code desired} is null for a delete, {@code current}
 * null for a create; {@code diff} lists changed fields of an update (spec and labels).
 */
public record PlannedChange(Action action, ResourceType type, String namespace, String name,
    List<FieldDiff> diff, ObjectNode desired, StoredObject current) {

  public enum Action { CREATE, UPDATE, DELETE, UNCHANGED }

  public PlannedChange {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    diff = List.copyOf(diff);
  }

  /** The revision the plan saw for the object's key; 0 when it did not exist. */
  public long seenRevision() {
    return current == null ? 0 : current.revision();
  }
}
