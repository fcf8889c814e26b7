package io.wharf.model;

/** Events are immutable facts; they have no status. */
public record EventStatus() {
    public static final EventStatus EMPTY = new EventStatus();
}
