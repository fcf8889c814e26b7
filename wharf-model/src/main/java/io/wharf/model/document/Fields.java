package io.wharf.model.document;

import io.wharf.model.WireValue;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.validation.Names;
import io.wharf.model.validation.Suggestions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Typed, path-aware reading of one mapping. Every key asked for becomes a known field;
 * {@link #finish()} reports the keys nobody asked for as unknown, with a did-you-mean over the
 * known ones. Absent and null fields read as the default. Not thread-safe; one per object read.
 */
public final class Fields {
    private final Map<String, Tree> entries;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();
    private final boolean mapping;

    private Fields(Map<String, Tree> entries, String path, Problems problems, boolean mapping) {
        this.entries = entries;
        this.path = path;
        this.problems = problems;
        this.mapping = mapping;
    }

    /** Reads {@code tree} as a mapping; anything else is a problem and reads as an empty mapping. */
    public static Fields of(Tree tree, String path, Problems problems) {
        if (tree instanceof Tree.Mapping m) return new Fields(m.entries(), path, problems, true);
        if (tree != null && !(tree instanceof Tree.Null)) problems.add(path, "must be a mapping, got " + tree.describe());
        return new Fields(Map.of(), path, problems, false);
    }

    /** False when the node was not a mapping (already reported). */
    public boolean isMapping() { return mapping; }

    public String path() { return path; }

    public String path(String key) { return Paths.field(path, key); }

    public Problems problems() { return problems; }

    public void problem(String key, String reason) { problems.add(path(key), reason); }

    /** All keys as written, in order. */
    public Set<String> keys() { return entries.keySet(); }

    public void known(String... keys) { known.addAll(List.of(keys)); }

    /** Present with a non-null value. Marks the key known. */
    public boolean has(String key) {
        known.add(key);
        Tree t = entries.get(key);
        return t != null && !(t instanceof Tree.Null);
    }

    /** The raw node, or null when absent or null. Marks the key known. */
    public Tree take(String key) {
        known.add(key);
        Tree t = entries.get(key);
        return t instanceof Tree.Null ? null : t;
    }

    public String string(String key) {
        Tree t = take(key);
        return t == null ? null : Scalars.text(t, path(key), problems);
    }

    public String string(String key, String def) {
        String s = string(key);
        return s == null ? def : s;
    }

    public String required(String key) {
        if (!has(key)) {
            problem(key, "is required");
            return null;
        }
        return string(key);
    }

    /** A DNS-label name (ports, tasks, volumes, references). */
    public String name(String key, boolean required) {
        String v = required ? required(key) : string(key);
        if (v != null) {
            var bad = Names.dnsLabelProblem(v);
            if (bad.isPresent()) {
                problem(key, bad.get());
                return null;
            }
        }
        return v;
    }

    public int integer(String key, int def, long min, long max) {
        Tree t = take(key);
        if (t == null) return def;
        Integer v = Scalars.integer(t, path(key), problems, min, max);
        return v == null ? def : v;
    }

    public Integer optionalInteger(String key, long min, long max) {
        Tree t = take(key);
        return t == null ? null : Scalars.integer(t, path(key), problems, min, max);
    }

    public long longInteger(String key, long def, long min) {
        Tree t = take(key);
        if (t == null) return def;
        if (t instanceof Tree.Scalar s && s.style() != Tree.Style.BOOLEAN && s.text().trim().matches("-?\\d{1,18}")) {
            long v = Long.parseLong(s.text().trim());
            if (v >= min) return v;
            problem(key, "must be >= " + min);
            return def;
        }
        problem(key, "must be an integer, got " + t.describe());
        return def;
    }

    /** An ISO-8601 instant such as {@code 2026-11-22T10:00:00Z}. */
    public java.time.Instant instant(String key) {
        Tree t = take(key);
        if (t == null) return null;
        if (t instanceof Tree.Scalar s) {
            try {
                return java.time.Instant.parse(s.text().trim());
            } catch (java.time.format.DateTimeParseException e) {
                // reported below
            }
        }
        problem(key, "must be a timestamp like \"2026-11-22T10:00:00Z\", got " + t.describe());
        return null;
    }

    public double decimal(String key, double def, double min) {
        Tree t = take(key);
        if (t == null) return def;
        Double v = Scalars.decimal(t, path(key), problems, min);
        return v == null ? def : v;
    }

    public boolean bool(String key, boolean def) {
        Tree t = take(key);
        if (t == null) return def;
        Boolean v = Scalars.bool(t, path(key), problems);
        return v == null ? def : v;
    }

    public Duration duration(String key, Duration def) {
        Tree t = take(key);
        if (t == null) return def;
        Duration d = Scalars.duration(t, path(key), problems);
        return d == null ? def : d;
    }

    /** A duration that must be greater than zero. */
    public Duration positiveDuration(String key, Duration def) {
        Tree t = take(key);
        if (t == null) return def;
        Duration d = Scalars.duration(t, path(key), problems);
        if (d == null) return def;
        if (d.isZero()) {
            problem(key, "must be > 0");
            return def;
        }
        return d;
    }

    public ByteSize size(String key, ByteSize def) {
        Tree t = take(key);
        if (t == null) return def;
        ByteSize b = Scalars.size(t, path(key), problems);
        return b == null ? def : b;
    }

    public Cpu cpu(String key, Cpu def) {
        Tree t = take(key);
        if (t == null) return def;
        Cpu c = Scalars.cpu(t, path(key), problems);
        return c == null ? def : c;
    }

    public <E extends Enum<E> & WireValue> E choice(String key, Class<E> type, E def) {
        Tree t = take(key);
        if (t == null) return def;
        E e = Scalars.choice(t, type, path(key), problems);
        return e == null ? def : e;
    }

    /** A list of strings, or one string split into words. */
    public List<String> words(String key) {
        Tree t = take(key);
        if (t == null) return List.of();
        List<String> w = Scalars.words(t, path(key), problems);
        return w == null ? List.of() : w;
    }

    public List<String> strings(String key) {
        Tree t = take(key);
        if (t == null) return List.of();
        List<String> w = Scalars.strings(t, path(key), problems);
        return w == null ? List.of() : w;
    }

    /** A mapping of strings to strings; any scalar value is taken as its literal text, null as "". */
    public Map<String, String> stringMap(String key) {
        Tree t = take(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (t == null) return out;
        if (!(t instanceof Tree.Mapping m)) {
            problem(key, "must be a mapping, got " + t.describe());
            return out;
        }
        m.entries().forEach((k, v) -> {
            if (v instanceof Tree.Null) out.put(k, "");
            else {
                String s = Scalars.text(v, Paths.field(path(key), k), problems);
                if (s != null) out.put(k, s);
            }
        });
        return out;
    }

    /** A list whose items are read by {@code item(node, itemPath)}; null results are dropped. */
    public <T> List<T> list(String key, BiFunction<Tree, String, T> item) {
        Tree t = take(key);
        List<T> out = new ArrayList<>();
        if (t == null) return out;
        if (!(t instanceof Tree.Sequence seq)) {
            problem(key, "must be a list, got " + t.describe());
            return out;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            T v = item.apply(seq.items().get(i), Paths.index(path(key), i));
            if (v != null) out.add(v);
        }
        return out;
    }

    /** The entries of a nested mapping as (key, node), for name-keyed sections like {@code services:}. */
    public Map<String, Tree> entries(String key) {
        Tree t = take(key);
        if (t == null) return Map.of();
        if (!(t instanceof Tree.Mapping m)) {
            problem(key, "must be a mapping, got " + t.describe());
            return Map.of();
        }
        return m.entries();
    }

    /** Reports every key not asked for. Call once, after reading all fields. */
    public void finish() {
        for (String key : entries.keySet()) {
            if (!known.contains(key)) problems.add(path(key), "unknown field" + Suggestions.didYouMean(key, known));
        }
    }
}
