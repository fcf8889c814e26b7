package io.wharf.model.config;

/** Nothing is observed about a config yet. */
public record ConfigStatus() {
    public static final ConfigStatus EMPTY = new ConfigStatus();
}
