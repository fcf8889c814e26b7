package io.wharf.model;

/** Nothing is observed about a stack yet; its members carry their own status. */
public record StackStatus() {
    public static final StackStatus EMPTY = new StackStatus();
}
