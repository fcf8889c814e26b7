package io.wharf.agent.driver;

import java.util.Map;
import java.util.Objects;

/**
 * Whether a driver can run tasks on this node, and what it found out (versions, paths), reported
 * as node attributes {@code driver.<name>.<key>}. {@code reason} says why it is unavailable.
 */
public record Fingerprint(String driver, boolean available, String reason, Map<String, String> attributes) {
    public Fingerprint {
        Objects.requireNonNull(driver, "driver");
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
        if (!available) Objects.requireNonNull(reason, "reason");
    }

    public static Fingerprint available(String driver, Map<String, String> attributes) {
        return new Fingerprint(driver, true, null, attributes);
    }

    public static Fingerprint unavailable(String driver, String reason) {
        return new Fingerprint(driver, false, reason, Map.of());
    }
}
