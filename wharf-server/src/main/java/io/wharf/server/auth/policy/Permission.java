package io.wharf.server.auth.policy;

import java.util.Objects;

/**
 * One thing a request does: a verb on a kind in a namespace. {@code namespace} is null for a
 * cluster-scoped kind (Node, Namespace, Principal, ...) and for a namespaced kind across every
 * namespace; only a rule whose namespace pattern is {@code *} covers those.
 */
public record Permission(Verb verb, String kind, String namespace) {
  public Permission {
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(kind, "kind");
  }

  /** {@code list Service in namespace default}, {@code update Node (cluster-wide)}. */
  public String describe() {
    return verb.wire() + " " + kind + (namespace == null ? " (cluster-wide)" : " in namespace " + namespace);
  }

  @Override
  public String toString() {
    return describe();
  }
}
