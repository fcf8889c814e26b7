package io.wharf.model.document;

import io.wharf.model.validation.Problem;
import java.util.ArrayList;
import java.util.List;

/** Collects problems in the order they are found. Not thread-safe: one per decode. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

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
