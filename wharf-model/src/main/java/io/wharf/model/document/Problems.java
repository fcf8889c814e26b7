package io.wharf.model.document;

import io.wharf.model.validation.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one decode: problems in the order they are found, and the references to other
 * resources the readers met (checked later by whoever knows the other resources, e.g. a stack
 * file). Not thread-safe: one per decode.
 */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();

    /**
     * A name that must resolve to something outside the object being read. {@code type}:
     * dependency (detail = condition), config, secret, volume, conflict, backend (detail = port or
     * null, at detailPath).
     */
    public record Reference(String type, String name, String path, String detail, String detailPath) {}

    public void refer(String type, String name, String path, String detail, String detailPath) {
        references.add(new Reference(type, name, path, detail, detailPath));
    }

    public void refer(String type, String name, String path) {
        refer(type, name, path, null, null);
    }

    /** References recorded so far, in order. */
    public List<Reference> references() { return List.copyOf(references); }

    public void add(String path, String reason) {
        Problem p = new Problem(path, reason);
        if (!list.contains(p)) list.add(p);
    }

    public void addAll(List<Problem> ps) {
        ps.forEach(p -> add(p.path(), p.reason()));
    }

    /** Problems re-rooted under {@code prefix}: {@code replicas} becomes {@code spec.replicas}. */
    public void addAllUnder(String prefix, List<Problem> ps) {
        ps.forEach(p -> add(p.path().isEmpty() ? prefix : Paths.field(prefix, p.path()), p.reason()));
    }

    public boolean isEmpty() { return list.isEmpty(); }

    public int size() { return list.size(); }

    public List<Problem> list() { return List.copyOf(list); }
}
