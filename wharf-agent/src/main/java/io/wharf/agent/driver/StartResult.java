package io.wharf.agent.driver;

import java.util.Objects;

/**
 * The answer to {@link Driver#start}: the task runs, or it could not be started. A
 * {@link Rejected} start is a configuration error (missing command, unknown image, port taken,
 * memory below the minimum): starting again would fail the same way, so runners must not retry
 * it. A {@link Failed} start may succeed later (daemon briefly unreachable) and counts as a crash.
 */
public sealed interface StartResult {
    record Started(TaskHandle handle) implements StartResult {
        public Started { Objects.requireNonNull(handle, "handle"); }
    }

    record Rejected(String reason) implements StartResult {
        public Rejected { Objects.requireNonNull(reason, "reason"); }
    }

    record Failed(String reason) implements StartResult {
        public Failed { Objects.requireNonNull(reason, "reason"); }
    }
}
