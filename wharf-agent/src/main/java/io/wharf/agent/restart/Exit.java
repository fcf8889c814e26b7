package io.wharf.agent.restart;

import java.time.Instant;
import java.util.Objects;

/** One past run of a task: when it ended, whether it succeeded and how it ended (for reasons). */
public record Exit(Instant at, boolean success, String description) {
    public Exit {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(description, "description");
    }
}
