package io.wharf.agent.restart;

import java.time.Duration;
import java.util.Objects;

/** What to do after a task exited. */
public sealed interface RestartDecision {
    /** Start the task again after {@code delay}. */
    record Restart(Duration delay) implements RestartDecision {
        public Restart { Objects.requireNonNull(delay, "delay"); }
    }

    /** Do not start it again: the task failed for good, because of {@code reason}. */
    record GiveUp(String reason) implements RestartDecision {
        public GiveUp { Objects.requireNonNull(reason, "reason"); }
    }

    /** Do not start it again: the task completed. */
    record Done() implements RestartDecision {}
}
