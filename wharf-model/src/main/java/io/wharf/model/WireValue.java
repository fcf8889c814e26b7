package io.wharf.model;

/**
 * An enum constant's spelling in JSON and YAML ({@code on-failure}, {@code requestRate}).
 * The codec writes {@link #wire()} and reads it back case-insensitively.
 */
public interface WireValue {
    String wire();
}
