package io.wharf.model.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A secret string. {@link #toString()} never shows it; only {@link #reveal()} (and the codec,
 * which must store it) does. The server redacts it in API answers.
 */
public record SecretValue(String value) {
    public SecretValue {
        Objects.requireNonNull(value, "value");
    }

    @JsonValue
    public String reveal() { return value; }

    @Override public String toString() { return "<redacted>"; }
}
