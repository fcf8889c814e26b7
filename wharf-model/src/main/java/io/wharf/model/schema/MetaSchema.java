package io.wharf.model.schema;

import io.wharf.model.EventSpec;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.NamespaceSpec;
import io.wharf.model.ResourceRef;
import io.wharf.model.StackSpec;
import io.wharf.model.document.Fields;
import io.wharf.model.document.Paths;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Tree;
import io.wharf.model.validation.Names;
import io.wharf.model.validation.Suggestions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Metadata, references, labels, and the small specs of namespaces, stacks and events. */
public final class MetaSchema {
    private MetaSchema() {}

    /** Metadata of a resource of {@code kind}; the name rule depends on the kind. */
    public static Metadata metadata(Fields f, Kind kind) {
        String name = f.required("name");
        if (name != null) nameProblem(kind, name).ifPresent(bad -> f.problem("name", bad));
        String namespace = f.string("namespace");
        if (namespace != null) {
            if (!kind.namespaced()) f.problem("namespace", "must not be set: " + kind.displayName() + " is cluster-scoped");
            else Names.dnsLabelProblem(namespace).ifPresent(bad -> f.problem("namespace", bad));
        }
        Map<String, String> labels = labels(f, "labels");
        long revision = f.longInteger("revision", 0, 0);
        return new Metadata(name == null ? "" : name, kind.namespaced() ? namespace : null, labels, revision,
                f.instant("createdAt"), f.instant("updatedAt"));
    }

    public static Optional<String> nameProblem(Kind kind, String name) {
        return switch (kind) {
            case EVENT -> Names.eventNameProblem(name);
            case NODE -> Names.nodeNameProblem(name);
            default -> Names.dnsLabelProblem(name);
        };
    }

    /** A label mapping with keys and values checked. */
    public static Map<String, String> labels(Fields f, String key) {
        Map<String, String> raw = f.stringMap(key);
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            String path = Paths.field(f.path(key), k);
            var bad = Names.labelKeyProblem(k).or(() -> Names.labelValueProblem(v));
            if (bad.isPresent()) f.problems().add(path, bad.get());
            else out.put(k, v);
        });
        return out;
    }

    /** {@code {kind, namespace, name}} at {@code key}; null when absent or invalid. */
    public static ResourceRef ref(Fields parent, String key) {
        if (!parent.has(key)) {
            parent.problem(key, "is required");
            return null;
        }
        return ref(parent.take(key), parent.path(key), parent.problems());
    }

    public static ResourceRef ref(Tree t, String path, Problems problems) {
        Fields f = Fields.of(t, path, problems);
        if (!f.isMapping()) return null;
        Kind kind = kind(f, "kind");
        String namespace = f.string("namespace");
        String name = f.required("name");
        f.finish();
        if (kind == null || name == null) return null;
        return new ResourceRef(kind, kind.namespaced() ? namespace : null, name);
    }

    /** A kind by any of its spellings, with did-you-mean over display names. */
    public static Kind kind(Fields f, String key) {
        String k = f.required(key);
        if (k == null) return null;
        Optional<Kind> kind = Kind.parse(k);
        if (kind.isEmpty()) {
            f.problem(key, "unknown kind \"" + k + "\"" + Suggestions.didYouMean(k,
                    Arrays.stream(Kind.values()).map(Kind::displayName).toList()));
            return null;
        }
        return kind.get();
    }

    public static NamespaceSpec namespace(Fields f) {
        return new NamespaceSpec(f.string("description"));
    }

    public static StackSpec stack(Fields f) {
        List<ResourceRef> refs = f.list("resources", (t, p) -> ref(t, p, f.problems()));
        List<String> volumes = f.strings("volumes");
        return new StackSpec(refs, volumes, f.string("source"));
    }

    public static EventSpec event(Fields f) {
        String type = f.required("type");
        ResourceRef involved = ref(f, "involved");
        EventSpec e = type == null || involved == null ? null
                : new EventSpec(type, involved, f.string("reason"), f.string("message"), f.instant("at"));
        if (e == null) {
            f.known("reason", "message", "at");
        }
        return e;
    }
}
