package io.wharf.model.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.document.DocumentParser;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Tree;
import io.wharf.model.schema.ResourceSchema;
import io.wharf.model.validation.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON and YAML for resources, in the envelope of docs/api.md:
 * {@code {"kind", "metadata", "spec", "status"}}. Writing uses Jackson over the records;
 * reading goes through the validating schema readers, so a decoded resource is always valid
 * and every problem of the input comes back at once with its path ({@code spec.replicas}).
 * {@code fromJson(toJson(r))} equals {@code r}. Thread-safe; all methods are static.
 */
public final class ResourceCodec {
    private ResourceCodec() {}

    private static final ObjectMapper JSON = Mappers.json();

    /** The shared, configured mapper (durations as "1m30s", enums by wire name, no nulls); do not reconfigure. */
    public static ObjectMapper json() { return JSON; }

    /** The envelope as a Jackson tree (for diffs and for embedding in lists and events). */
    public static ObjectNode toTree(Resource r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", r.kind().displayName());
        n.set("metadata", JSON.valueToTree(r.metadata()));
        n.set("spec", JSON.valueToTree(r.spec()));
        n.set("status", JSON.valueToTree(r.status()));
        return n;
    }

    /** UTF-8 JSON; secrets included (redacting them is the API's business). */
    public static byte[] toJson(Resource r) {
        try {
            return JSON.writeValueAsBytes(toTree(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same document as YAML (strings that YAML 1.1 would misread are quoted). */
    public static String toYaml(Resource r) {
        try {
            return Mappers.yaml().writeValueAsString(toTree(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a resource whose {@code kind} field says what it is. */
    public static Decoded<Resource> fromJson(byte[] json) {
        return decode(DocumentParser.parseJson(json), null);
    }

    /** Decodes a resource of kind {@code expected}; {@code kind} may be omitted, another kind is a problem. */
    public static Decoded<Resource> fromJson(Kind expected, byte[] json) {
        return decode(DocumentParser.parseJson(json), expected);
    }

    /** Decodes a YAML resource; {@code expected} may be null (then {@code kind} is required). */
    public static Decoded<Resource> fromYaml(Kind expected, String yaml) {
        return decode(DocumentParser.parseYaml(yaml), expected);
    }

    /** Decodes an already-parsed document tree (the stack and plan paths use this). */
    public static Decoded<Resource> fromTree(Kind expected, Tree tree) {
        return decode(new DocumentParser.Parsed(java.util.Optional.of(tree), List.of(), false), expected);
    }

    /** Every problem of {@code r} by the same rules as decoding (empty when valid). */
    public static List<Problem> validate(Resource r) {
        return fromJson(r.kind(), toJson(r)).problems();
    }

    private static Decoded<Resource> decode(DocumentParser.Parsed parsed, Kind expected) {
        if (parsed.malformed()) return new Decoded.Invalid<>(parsed.problems(), true);
        Problems problems = new Problems();
        problems.addAll(parsed.problems());
        Resource r = ResourceSchema.read(parsed.tree().orElseThrow(), expected, problems);
        if (!problems.isEmpty() || r == null) {
            if (problems.isEmpty()) problems.add("", "invalid resource");
            return Decoded.invalid(problems.list());
        }
        return Decoded.ok(r);
    }
}
