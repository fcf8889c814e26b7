package io.wharf.agent.health;

import java.util.Objects;

/** One run of a check. */
public record CheckResult(boolean ok, String message) {
    public CheckResult {
        Objects.requireNonNull(message, "message");
    }

    public static CheckResult ok(String message) { return new CheckResult(true, message); }

    public static CheckResult failed(String message) { return new CheckResult(false, message); }
}
