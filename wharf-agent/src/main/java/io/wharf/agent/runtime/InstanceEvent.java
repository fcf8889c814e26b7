package io.wharf.agent.runtime;

import java.time.Instant;
import java.util.Objects;

/** An instance changed state; {@code reason} names the task responsible when one is. */
public record InstanceEvent(String instance, InstanceState state, String reason, Instant at) {
    public InstanceEvent {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
