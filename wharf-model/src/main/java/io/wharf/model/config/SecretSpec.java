package io.wharf.model.config;

import io.wharf.model.Frozen;
import java.util.Map;

/**
 * Secret contents: one {@code value}, several named entries in {@code data}, or a {@code file}
 * path the CLI reads (exactly one of them). toString() shows no values.
 */
public record SecretSpec(SecretValue value, Map<String, SecretValue> data, String file) {
    public SecretSpec {
        data = Frozen.map(data);
    }

    @Override public String toString() {
        return "SecretSpec[value=" + (value == null ? "null" : "<redacted>") + ", data keys=" + data.keySet()
                + ", file=" + file + "]";
    }
}
