package io.wharf.model;

/** A namespace has no settings yet beyond its metadata; {@code description} is free text. */
public record NamespaceSpec(String description) {
    public static final NamespaceSpec EMPTY = new NamespaceSpec(null);
}
