package io.wharf.client.stack;

import java.util.List;
import java.util.Objects;

/**
 * One resource a plan touches. {@code namespace} is empty for cluster-scoped kinds;
 * {@code diff} lists the changed fields of an update (empty for creates and deletes).
 */
public record ResourceChange(
    ChangeAction action, String kind, String namespace, String name, List<FieldChange> diff) {

  public ResourceChange {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
    diff = List.copyOf(diff);
  }

  /** {@code namespace/name}, or just the name of a cluster-scoped resource. */
  public String qualifiedName() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
