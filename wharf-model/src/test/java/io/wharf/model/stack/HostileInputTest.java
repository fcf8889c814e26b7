package io.wharf.model.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.codec.Decoded;
import org.junit.jupiter.api.Test;

/** Input that is not a stack file at all fails cleanly: one problem, marked malformed, no exception. */
class HostileInputTest {

    static Decoded.Invalid<StackDocument> malformed(String text) {
        Decoded<StackDocument> d = StackFile.parse(text, "t.yaml");
        assertThat(d).isInstanceOf(Decoded.Invalid.class);
        Decoded.Invalid<StackDocument> i = (Decoded.Invalid<StackDocument>) d;
        assertThat(i.malformed()).as(i.problems().toString()).isTrue();
        assertThat(i.problems()).hasSize(1);
        return i;
    }

    @Test
    void brokenYamlSaysWhere() {
        assertThat(malformed("stack: s\nservices:\n  web: {image: nginx\n").problems().get(0).toString())
                .startsWith("malformed YAML: ").contains("line 4");
    }

    @Test
    void brokenJsonSaysWhere() {
        assertThat(malformed("{\"stack\": \"s\",}").problems().get(0).toString()).startsWith("malformed JSON: ").contains("line 1");
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder b = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            char prev = (char) ('a' + i - 1);
            char cur = (char) ('a' + i);
            b.append(cur).append(": &").append(cur).append(" [");
            for (int j = 0; j < 9; j++) b.append(j == 0 ? "" : ", ").append('*').append(prev);
            b.append("]\n");
        }
        assertThat(malformed(b.toString()).problems().get(0).reason()).contains("alias");
    }

    @Test
    void deepNestingIsRefused() {
        assertThat(malformed("stack: " + "[".repeat(500) + "]".repeat(500)).problems().get(0).reason()).startsWith("malformed YAML");
        assertThat(malformed("{\"stack\": " + "[".repeat(500) + "]".repeat(500) + "}").problems().get(0).reason()).startsWith("malformed JSON");
    }

    @Test
    void severalDocumentsAreRefused() {
        malformed("stack: a\n---\nstack: b\n");
    }

    @Test
    void anEmptyFileNeedsAStackName() {
        assertThat(StackFile.parse("", "t.yaml").problems()).extracting(Object::toString).containsExactly("stack: is required");
        assertThat(StackFile.parse("[1, 2]", "t.yaml").problems()).extracting(Object::toString)
                .containsExactly("must be a mapping, got a list");
    }

    @Test
    void complexKeysAreProblemsNotCrashes() {
        assertThat(StackFile.parse("stack: s\n? [a, b]\n: c\n", "t.yaml").problems()).extracting(Object::toString)
                .containsExactly("keys must be plain text, got a list at line 2");
    }
}
