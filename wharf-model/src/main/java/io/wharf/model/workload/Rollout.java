package io.wharf.model.workload;

import java.time.Instant;
import java.util.Objects;

/**
 * The rollout of one instance template (the service's current one), as the service controller
 * follows it. {@code revision} is the service's store revision when the controller first saw the
 * template; {@code hash} is {@link InstanceTemplate#hash()} of {@code template}; {@code stable}
 * is the template an automatic rollback or {@code wharf rollout undo} goes back to (null when
 * there is none, as for a service's first rollout). {@code updated} counts instances of the
 * template that have been healthy for {@code minHealthyTime}; {@code progressAt} is when that
 * count last grew (the progress deadline runs from it). {@code promoted}: the canaries were
 * promoted. {@code rollback}: this rollout is itself a rollback (it is never rolled back again).
 */
public record Rollout(long revision, String hash, InstanceTemplate template, InstanceTemplate stable, RolloutPhase phase,
                      int updated, boolean promoted, boolean rollback, Instant startedAt, Instant progressAt,
                      Instant finishedAt, String message) {
    public Rollout {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(phase, "phase");
        if (updated < 0) throw new IllegalArgumentException("updated must be >= 0");
    }

    public Rollout withPhase(RolloutPhase p, Instant finished, String why) {
        return new Rollout(revision, hash, template, stable, p, updated, promoted, rollback, startedAt, progressAt,
                finished, why);
    }

    public Rollout withProgress(int count, Instant at) {
        return new Rollout(revision, hash, template, stable, phase, count, promoted, rollback, startedAt, at, finishedAt,
                message);
    }

    public Rollout promoted(String why) {
        return new Rollout(revision, hash, template, stable, RolloutPhase.PROGRESSING, updated, true, rollback, startedAt,
                progressAt, finishedAt, why);
    }

    /** This rollout as a history record. */
    public RolloutRecord record() {
        return new RolloutRecord(revision, hash, phase, startedAt, finishedAt, message, template);
    }
}
