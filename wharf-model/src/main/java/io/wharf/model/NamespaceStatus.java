package io.wharf.model;

/** Nothing is observed about a namespace yet. */
public record NamespaceStatus() {
    public static final NamespaceStatus EMPTY = new NamespaceStatus();
}
