package io.wharf.model.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.validation.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON and YAML for resources, in the envelope of docs/api.md. Thread-safe; all methods are static.
 */
public final class ResourceCodec {
    private ResourceCodec() {}

    private static final ObjectMapper JSON = Mappers.json();

    /** The shared, configured mapper (durations as "1m30s", enums by wire name, no nulls); do not reconfigure. */
    public static ObjectMapper json() { return JSON; }

    public static ObjectNode toTree(Resource r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", r.kind().displayName());
        n.set("metadata", JSON.valueToTree(r.metadata()));
        n.set("spec", JSON.valueToTree(r.spec()));
        n.set("status", JSON.valueToTree(r.status()));
        return n;
    }

    public static byte[] toJson(Resource r) {
        try {
            return JSON.writeValueAsBytes(toTree(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toYaml(Resource r) {
        try {
            return Mappers.yaml().writeValueAsString(toTree(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Decoded<Resource> fromJson(byte[] json) {
        return Decoded.invalid(List.of(new Problem("", "decoding is not supported yet")));
    }

    public static Decoded<Resource> fromJson(Kind expected, byte[] json) {
        return fromJson(json);
    }

    public static Decoded<Resource> fromYaml(Kind expected, String yaml) {
        return Decoded.invalid(List.of(new Problem("", "decoding is not supported yet")));
    }
}
