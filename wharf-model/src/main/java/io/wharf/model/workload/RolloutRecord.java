package io.wharf.model.workload;

import java.time.Instant;
import java.util.Objects;

/**
 * A finished rollout in a service's history: the revision and template it rolled out, how it
 * ended, when, and why ({@code reason}). {@code template} is kept so {@code wharf rollout undo
 * --to REVISION} can write it back.
 */
public record RolloutRecord(long revision, String hash, RolloutPhase phase, Instant startedAt, Instant finishedAt,
                            String reason, InstanceTemplate template) {
    public RolloutRecord {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(template, "template");
    }
}
