package io.wharf.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Identity and bookkeeping of a resource. {@code namespace} is null for cluster-scoped kinds;
 * {@code revision} is the store revision that last changed the object (0 before it is stored);
 * the timestamps are null until the store sets them. Name and label syntax is checked by the
 * codec (see {@link Names}), not here, so that decoding can report every problem at once.
 */
public record Metadata(String name, String namespace, Map<String, String> labels, long revision,
                       Instant createdAt, Instant updatedAt) {

    public Metadata {
        Objects.requireNonNull(name, "name");
        labels = Frozen.map(labels);
    }

    public static Metadata of(String name, String namespace) {
        return new Metadata(name, namespace, Map.of(), 0, null, null);
    }

    public static Metadata cluster(String name) {
        return of(name, null);
    }

    public Metadata withRevision(long r) { return new Metadata(name, namespace, labels, r, createdAt, updatedAt); }

    public Metadata withNamespace(String ns) { return new Metadata(name, ns, labels, revision, createdAt, updatedAt); }

    public Metadata withName(String n) { return new Metadata(n, namespace, labels, revision, createdAt, updatedAt); }

    public Metadata withLabels(Map<String, String> l) { return new Metadata(name, namespace, l, revision, createdAt, updatedAt); }

    public Metadata withTimestamps(Instant created, Instant updated) {
        return new Metadata(name, namespace, labels, revision, created, updated);
    }
}
