package io.wharf.model.stack;

import io.wharf.model.codec.Decoded;
import io.wharf.model.validation.Problem;

/** Parses stack files (YAML or JSON text); see docs/stack-file.md for the format. Thread-safe. */
public final class StackFile {
    private StackFile() {}

    /** Every problem of the file at once, or the document. {@code sourceName} is recorded in the Stack. */
    public static Decoded<StackDocument> parse(String yaml, String sourceName) {
        return Decoded.invalid(java.util.List.of(new Problem("", "stack files are not supported yet")));
    }
}
