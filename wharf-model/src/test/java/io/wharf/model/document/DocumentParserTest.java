package io.wharf.model.document;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.validation.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentParserTest {

    static Tree.Mapping yaml(String text) {
        DocumentParser.Parsed p = DocumentParser.parseYaml(text);
        assertThat(p.problems()).isEmpty();
        return (Tree.Mapping) p.tree().orElseThrow();
    }

    @Test
    void yamlScalarsKeepTheirTextAndHowTheyWereWritten() {
        Tree.Mapping m = yaml("""
                plain: no
                octal: 0777
                quoted: "no"
                single: 'yes'
                block: |
                  line
                tagged: !!str 10
                empty:
                tilde: ~
                """);
        assertThat(m.entries()).isEqualTo(Map.of(
                "plain", new Tree.Scalar("no", Tree.Style.PLAIN),
                "octal", new Tree.Scalar("0777", Tree.Style.PLAIN),
                "quoted", new Tree.Scalar("no", Tree.Style.STRING),
                "single", new Tree.Scalar("yes", Tree.Style.STRING),
                "block", new Tree.Scalar("line\n", Tree.Style.STRING),
                "tagged", new Tree.Scalar("10", Tree.Style.STRING),
                "empty", Tree.Null.INSTANCE,
                "tilde", Tree.Null.INSTANCE));
        assertThat(List.copyOf(m.entries().keySet())).containsExactly("plain", "octal", "quoted", "single", "block", "tagged", "empty", "tilde");
    }

    @Test
    void jsonScalarsKeepTheirJsonType() {
        Tree t = DocumentParser.parse("{\"a\": 1.50, \"b\": true, \"c\": \"x\", \"d\": null, \"e\": [1]}").tree().orElseThrow();
        assertThat(((Tree.Mapping) t).entries()).isEqualTo(Map.of(
                "a", new Tree.Scalar("1.50", Tree.Style.NUMBER),
                "b", new Tree.Scalar("true", Tree.Style.BOOLEAN),
                "c", new Tree.Scalar("x", Tree.Style.STRING),
                "d", Tree.Null.INSTANCE,
                "e", new Tree.Sequence(List.of(new Tree.Scalar("1", Tree.Style.NUMBER)))));
    }

    @Test
    void describeSaysWhatAValueLooksLike() {
        assertThat(new Tree.Scalar("three", Tree.Style.PLAIN).describe()).isEqualTo("string \"three\"");
        assertThat(new Tree.Scalar("3.5", Tree.Style.PLAIN).describe()).isEqualTo("number 3.5");
        assertThat(new Tree.Scalar("3", Tree.Style.STRING).describe()).isEqualTo("string \"3\"");
        assertThat(new Tree.Scalar("true", Tree.Style.BOOLEAN).describe()).isEqualTo("boolean true");
        assertThat(new Tree.Sequence(List.of()).describe()).isEqualTo("a list");
    }

    @Test
    void mergeKeysFillOnlyWhatIsMissing() {
        Tree.Mapping m = yaml("""
                base: &b {x: 1, y: 2}
                more: &m {z: 3}
                use:
                  <<: [*b, *m]
                  y: 9
                """);
        Tree.Mapping use = (Tree.Mapping) m.entries().get("use");
        assertThat(use.entries()).containsExactly(Map.entry("y", new Tree.Scalar("9", Tree.Style.PLAIN)),
                Map.entry("x", new Tree.Scalar("1", Tree.Style.PLAIN)), Map.entry("z", new Tree.Scalar("3", Tree.Style.PLAIN)));
    }

    @Test
    void duplicateKeysAreProblemsWithPathsAndLines() {
        assertThat(DocumentParser.parseYaml("a:\n  b: 1\n  b: 2\n").problems())
                .containsExactly(new Problem("a.b", "duplicate key (first at line 2, again at line 3)"));
        assertThat(DocumentParser.parseJson("{\"a\": [{\"b\": 1, \"b\": 2}]}").problems())
                .containsExactly(new Problem("a[0].b", "duplicate key"));
    }

    @Test
    void anEmptyDocumentIsNull() {
        assertThat(DocumentParser.parseYaml("").tree()).contains(Tree.Null.INSTANCE);
        assertThat(DocumentParser.parseYaml("# only a comment\n").tree()).contains(Tree.Null.INSTANCE);
        assertThat(DocumentParser.parseJson("  ").malformed()).isTrue();
    }
}
