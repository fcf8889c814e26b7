package io.wharf.model.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.wharf.model.validation.Problem;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Text to {@link Tree}. YAML goes through SnakeYAML's composer only (no constructor), so no
 * scalar is ever resolved to a boolean, number or date: plain scalars stay text and the field
 * that reads them decides. Duplicate keys are reported (YAML and JSON), merge keys
 * ({@code <<: *anchor}) are applied, alias bombs and deep nesting are bounded. Thread-safe.
 */
public final class DocumentParser {
    private DocumentParser() {}

    /** Deeper documents are rejected: nothing Wharf reads nests this far. */
    public static final int MAX_DEPTH = 64;
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Resolver RESOLVER = new Resolver();

    /** A tree plus the problems found while building it (duplicate keys); malformed text gives no tree. */
    public record Parsed(Optional<Tree> tree, List<Problem> problems, boolean malformed) {}

    /** JSON when the text starts with '{' or '[', YAML otherwise. */
    public static Parsed parse(String text) {
        String t = text.stripLeading();
        if (t.startsWith("{") || t.startsWith("[")) return parseJson(text);
        return parseYaml(text);
    }

    public static Parsed parseYaml(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(8 * 1024 * 1024);
        Node root;
        try {
            // The composer alone: no Yaml facade (costly to build) and no constructor (no typing).
            Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), RESOLVER, options);
            root = composer.getSingleNode();
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1);
            return malformed("malformed YAML: " + e.getProblem() + where);
        } catch (YAMLException e) {
            return malformed("malformed YAML: " + e.getMessage());
        }
        if (root == null) return new Parsed(Optional.of(Tree.Null.INSTANCE), List.of(), false);
        Problems problems = new Problems();
        Tree tree = fromYaml(root, "", problems, 0);
        return new Parsed(Optional.of(tree), problems.list(), false);
    }

    public static Parsed parseJson(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            return parseJson(p);
        } catch (IOException e) {
            return malformed("malformed JSON: " + e.getMessage());
        }
    }

    public static Parsed parseJson(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            return parseJson(p);
        } catch (IOException e) {
            return malformed("malformed JSON: " + e.getMessage());
        }
    }

    private static Parsed parseJson(JsonParser p) throws IOException {
        try {
            JsonToken first = p.nextToken();
            if (first == null) return malformed("malformed JSON: empty document");
            Problems problems = new Problems();
            Tree tree = fromJson(p, first, "", problems, 0);
            if (p.nextToken() != null) return malformed("malformed JSON: unexpected content after the document" + at(p.currentLocation()));
            return new Parsed(Optional.of(tree), problems.list(), false);
        } catch (JsonProcessingException e) {
            return malformed("malformed JSON: " + e.getOriginalMessage() + at(e.getLocation()));
        }
    }

    private static String at(JsonLocation l) {
        return l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    private static Parsed malformed(String reason) {
        return new Parsed(Optional.empty(), List.of(new Problem("", reason)), true);
    }

    private static Tree fromJson(JsonParser p, JsonToken token, String path, Problems problems, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new com.fasterxml.jackson.core.JsonParseException(p, "nesting deeper than " + MAX_DEPTH + " levels");
        switch (token) {
            case START_OBJECT -> {
                Map<String, Tree> entries = new LinkedHashMap<>();
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String keyPath = Paths.field(path, key);
                    Tree value = fromJson(p, p.nextToken(), keyPath, problems, depth + 1);
                    if (entries.containsKey(key)) problems.add(keyPath, "duplicate key");
                    else entries.put(key, value);
                }
                return new Tree.Mapping(entries);
            }
            case START_ARRAY -> {
                List<Tree> items = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(fromJson(p, t, Paths.index(path, items.size()), problems, depth + 1));
                }
                return new Tree.Sequence(items);
            }
            case VALUE_STRING -> { return new Tree.Scalar(p.getText(), Tree.Style.STRING); }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> { return new Tree.Scalar(p.getText(), Tree.Style.NUMBER); }
            case VALUE_TRUE, VALUE_FALSE -> { return new Tree.Scalar(p.getText(), Tree.Style.BOOLEAN); }
            case VALUE_NULL -> { return Tree.Null.INSTANCE; }
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + token);
        }
    }

    private static Tree fromYaml(Node node, String path, Problems problems, int depth) {
        if (depth > MAX_DEPTH) {
            problems.add(path, "nesting deeper than " + MAX_DEPTH + " levels");
            return Tree.Null.INSTANCE;
        }
        return switch (node) {
            case ScalarNode s -> scalar(s);
            case SequenceNode seq -> {
                List<Tree> items = new ArrayList<>();
                for (Node n : seq.getValue()) items.add(fromYaml(n, Paths.index(path, items.size()), problems, depth + 1));
                yield new Tree.Sequence(items);
            }
            case MappingNode map -> mapping(map, path, problems, depth);
            default -> {
                problems.add(path, "unsupported YAML node");
                yield Tree.Null.INSTANCE;
            }
        };
    }

    private static Tree mapping(MappingNode map, String path, Problems problems, int depth) {
        Map<String, Tree> entries = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        List<Tree.Mapping> merged = new ArrayList<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key)) {
                problems.add(path, "keys must be plain text, got a " + (keyNode instanceof MappingNode ? "mapping" : "list")
                        + " at line " + (keyNode.getStartMark().getLine() + 1));
                continue;
            }
            if (key.getTag().equals(Tag.MERGE) && key.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
                Tree value = fromYaml(tuple.getValueNode(), Paths.field(path, "<<"), problems, depth + 1);
                if (value instanceof Tree.Mapping m) merged.add(m);
                else if (value instanceof Tree.Sequence s && s.items().stream().allMatch(i -> i instanceof Tree.Mapping)) {
                    s.items().forEach(i -> merged.add((Tree.Mapping) i));
                } else problems.add(Paths.field(path, "<<"), "a merge key needs a mapping or a list of mappings");
                continue;
            }
            String name = key.getValue();
            String keyPath = Paths.field(path, name);
            int line = key.getStartMark().getLine() + 1;
            Tree value = fromYaml(tuple.getValueNode(), keyPath, problems, depth + 1);
            if (entries.containsKey(name)) {
                problems.add(keyPath, "duplicate key (first at line " + lines.get(name) + ", again at line " + line + ")");
            } else {
                entries.put(name, value);
                lines.put(name, line);
            }
        }
        for (Tree.Mapping m : merged) m.entries().forEach(entries::putIfAbsent);
        return new Tree.Mapping(entries);
    }

    private static Tree scalar(ScalarNode s) {
        String text = s.getValue();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) return new Tree.Scalar(text, Tree.Style.STRING);
        Tag implicit = RESOLVER.resolve(NodeId.scalar, text, true);
        if (s.getTag().equals(Tag.STR) && !implicit.equals(Tag.STR)) {
            return new Tree.Scalar(text, Tree.Style.STRING); // explicit !!str
        }
        if (implicit.equals(Tag.NULL) && s.getTag().equals(Tag.NULL)) return Tree.Null.INSTANCE;
        return new Tree.Scalar(text, Tree.Style.PLAIN);
    }
}
