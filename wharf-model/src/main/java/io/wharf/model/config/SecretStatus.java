package io.wharf.model.config;

/** Nothing is observed about a secret yet. */
public record SecretStatus() {
    public static final SecretStatus EMPTY = new SecretStatus();
}
