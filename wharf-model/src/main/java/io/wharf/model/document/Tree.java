package io.wharf.model.document;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed document before any typing: mappings keep key order, scalars keep their text. */
public sealed interface Tree {

    /** How a scalar was written; decides what it may be converted to. */
    enum Style {
        /** An unquoted YAML scalar: its meaning depends on the field it is read into. */
        PLAIN,
        /** A quoted or block YAML scalar, or a JSON string. */
        STRING,
        /** A JSON number. */
        NUMBER,
        /** A JSON true/false. */
        BOOLEAN
    }

    /** For messages: {@code string "three"}, {@code number 3.5}, {@code a mapping}. */
    String describe();

    record Scalar(String text, Style style) implements Tree {
        @Override public String describe() {
            return switch (style) {
                case STRING -> "string \"" + text + "\"";
                case NUMBER -> "number " + text;
                case BOOLEAN -> "boolean " + text;
                case PLAIN -> text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?") ? "number " + text
                        : text.equals("true") || text.equals("false") ? "boolean " + text
                        : "string \"" + text + "\"";
            };
        }
    }

    record Mapping(Map<String, Tree> entries) implements Tree {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override public String describe() { return "a mapping"; }
    }

    record Sequence(List<Tree> items) implements Tree {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override public String describe() { return "a list"; }
    }

    record Null() implements Tree {
        public static final Null INSTANCE = new Null();

        @Override public String describe() { return "null"; }
    }
}
