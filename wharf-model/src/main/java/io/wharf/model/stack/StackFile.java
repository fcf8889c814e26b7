package io.wharf.model.stack;

import io.wharf.model.codec.Decoded;
import io.wharf.model.document.DocumentParser;
import io.wharf.model.document.Problems;

/**
 * Parses stack files (YAML, or JSON — a JSON body is accepted as is); docs/stack-file.md is the
 * format's reference. All problems of a file come back at once, each with its field path.
 * Pure (no I/O: {@code file:} entries are only recorded) and thread-safe.
 */
public final class StackFile {
    private StackFile() {}

    /** The label every resource created from a stack carries: {@code wharf.io/stack: <stack name>}. */
    public static final String STACK_LABEL = "wharf.io/stack";

    /** Every problem of the file at once, or the document. {@code sourceName} is recorded in the Stack. */
    public static Decoded<StackDocument> parse(String text, String sourceName) {
        DocumentParser.Parsed parsed = DocumentParser.parse(text);
        if (parsed.malformed()) return new Decoded.Invalid<>(parsed.problems(), true);
        Problems problems = new Problems();
        problems.addAll(parsed.problems());
        StackDocument doc = new StackReader(problems).read(parsed.tree().orElseThrow(), sourceName);
        if (!problems.isEmpty() || doc == null) {
            if (problems.isEmpty()) problems.add("", "invalid stack file");
            return Decoded.invalid(problems.list());
        }
        return Decoded.ok(doc);
    }
}
