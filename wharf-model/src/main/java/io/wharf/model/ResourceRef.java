package io.wharf.model;

import java.util.Objects;

/** Points at a resource: kind, namespace (null for cluster-scoped kinds) and name. */
public record ResourceRef(Kind kind, String namespace, String name) {
    public ResourceRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    @Override public String toString() {
        return kind.displayName() + " " + (namespace == null ? "" : namespace + "/") + name;
    }
}
