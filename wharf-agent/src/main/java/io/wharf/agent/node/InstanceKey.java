package io.wharf.agent.node;

import java.util.Objects;

/**
 * An instance on this node: namespace and name. {@link #taskInstance()} is the driver-level
 * name of its tasks ({@code namespace.name}: names have no dots, so it is unambiguous).
 */
public record InstanceKey(String namespace, String name) {
    public InstanceKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public String taskInstance() { return namespace + "." + name; }

    /** The inverse of {@link #taskInstance()}; null when {@code text} is not one. */
    public static InstanceKey fromTaskInstance(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1 || text.indexOf('.', dot + 1) >= 0) return null;
        return new InstanceKey(text.substring(0, dot), text.substring(dot + 1));
    }

    @Override public String toString() { return namespace + "/" + name; }
}
