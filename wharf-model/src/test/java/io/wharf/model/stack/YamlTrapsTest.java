package io.wharf.model.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Config;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.Service;
import io.wharf.model.codec.Decoded;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.validation.Problem;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YAML 1.1 surprises (booleans from yes/no/on/off, octal 0777, dropped duplicates) never reach the model. */
class YamlTrapsTest {

    static StackDocument ok(String yaml) {
        Decoded<StackDocument> d = StackFile.parse(yaml, "t.yaml");
        assertThat(d.problems()).isEmpty();
        return d.value();
    }

    static TaskSpec task(StackDocument doc, String service) {
        return doc.resources().stream().filter(r -> r instanceof Service s && s.metadata().name().equals(service))
                .map(r -> ((Service) r).spec().tasks().get(0)).findFirst().orElseThrow();
    }

    @Test
    void envValuesAreTheLiteralText() {
        TaskSpec t = task(ok("""
                stack: s
                services:
                  web:
                    image: nginx
                    env: {A: yes, B: no, C: on, D: off, E: y, F: n, G: 8080, H: 0777, I: 1.50, J: true, K: 0x1F, L: 1e3, M: ~, N: 2026-11-22}
                """), "web");
        assertThat(t.env()).isEqualTo(Map.ofEntries(Map.entry("A", "yes"), Map.entry("B", "no"), Map.entry("C", "on"),
                Map.entry("D", "off"), Map.entry("E", "y"), Map.entry("F", "n"), Map.entry("G", "8080"), Map.entry("H", "0777"),
                Map.entry("I", "1.50"), Map.entry("J", "true"), Map.entry("K", "0x1F"), Map.entry("L", "1e3"), Map.entry("M", ""),
                Map.entry("N", "2026-11-22")));
    }

    @Test
    void keysLikeOnAndYesStayText() {
        TaskSpec t = task(ok("""
                stack: s
                services:
                  web:
                    image: nginx
                    env:
                      on: 1
                      yes: 2
                      null: 3
                """), "web");
        assertThat(t.env()).containsOnlyKeys("on", "yes", "null");
    }

    @Test
    void fileModesAreAlwaysOctalDigits() {
        TaskSpec t = task(ok("""
                stack: s
                configs: {c: {data: x}}
                services:
                  web:
                    image: nginx
                    configs:
                      - {name: c, path: /a, mode: 0777}
                      - {name: c, path: /b, mode: 440}
                      - {name: c, path: /c, mode: "0640"}
                """), "web");
        assertThat(t.configs()).extracting(m -> m.mode()).containsExactly(0777, 0440, 0640);
    }

    @Test
    void mountTargetsAreFilesWhenAbsoluteElseEnvVars() {
        TaskSpec t = task(ok("""
                stack: s
                configs: {c: {data: x}}
                services:
                  web:
                    image: nginx
                    configs: [{name: c, target: /etc/c}, {name: c, target: C_VALUE}]
                """), "web");
        assertThat(t.configs()).extracting(m -> m.path(), m -> m.env()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/etc/c", null), org.assertj.core.groups.Tuple.tuple(null, "C_VALUE"));
    }

    @Test
    void integersAreDecimalEvenWithLeadingZeros() {
        Service s = (Service) ok("""
                stack: s
                services:
                  web: {image: nginx, replicas: 010}
                """).resources().get(0);
        assertThat(s.spec().replicas()).isEqualTo(10);
    }

    @Test
    void booleanFieldsRejectYesAndNoWithAClearProblem() {
        assertThat(StackFile.parse("""
                stack: s
                services:
                  web:
                    image: nginx
                    placement: {distinctNodes: yes, global: off}
                    update: {autoRollback: True}
                """, "t.yaml").problems()).containsExactly(
                new Problem("services.web.placement.global", "must be true or false, got string \"off\""),
                new Problem("services.web.placement.distinctNodes", "must be true or false, got string \"yes\""));
    }

    @Test
    void textFieldsTakeWhatLooksLikeOtherTypes() {
        StackDocument doc = ok("""
                stack: s
                configs:
                  flag: {data: no}
                  number: {data: 0777}
                """);
        assertThat(doc.resources()).extracting(r -> ((Config) r).spec().data()).containsExactly("no", "0777");
    }

    @Test
    void quotedAndExplicitlyTaggedScalarsAreStrings() {
        TaskSpec t = task(ok("""
                stack: s
                services:
                  web:
                    image: nginx
                    env: {A: "yes", B: !!str 0777, C: 'on'}
                """), "web");
        assertThat(t.env()).containsEntry("A", "yes").containsEntry("B", "0777").containsEntry("C", "on");
    }

    @Test
    void mergeKeysAndAnchorsWorkAndExplicitKeysWin() {
        StackDocument doc = ok("""
                stack: s
                x-base: &base
                  image: nginx
                  replicas: 2
                  env: {A: a}
                services:
                  one:
                    <<: *base
                  two:
                    <<: *base
                    replicas: 5
                """);
        assertThat(doc.resources()).extracting(r -> ((Service) r).spec().replicas()).containsExactly(2, 5);
    }

    @Test
    void duplicateKeysAreReportedNotDropped() {
        assertThat(StackFile.parse("""
                stack: s
                services:
                  web:
                    image: nginx
                    env:
                      A: 1
                      A: 2
                """, "t.yaml").problems()).containsExactly(
                new Problem("services.web.env.A", "duplicate key (first at line 6, again at line 7)"));
    }

    @Test
    void nullAndEmptyValuesMeanNotSet() {
        Service s = (Service) ok("""
                stack: s
                services:
                  web:
                    image: nginx
                    replicas: ~
                    update:
                    labels: null
                """).resources().get(0);
        assertThat(s.spec().replicas()).isEqualTo(1);
        assertThat(s.metadata().labels()).containsOnlyKeys("wharf.io/stack");
    }

    @Test
    void jsonTextIsParsedAsJson() {
        StackDocument doc = ok("""
                {"stack": "s", "services": {"web": {"image": "nginx", "replicas": 2, "env": {"A": 1, "B": true}}}}
                """);
        Resource r = doc.resources().get(0);
        assertThat(r.kind()).isEqualTo(Kind.SERVICE);
        assertThat(((Service) r).spec().tasks().get(0).env()).containsEntry("A", "1").containsEntry("B", "true");
    }
}
