package io.wharf.model.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyCyclesTest {

    @Test
    void aCycleIsNamedFromItsFirstDeclaredMember() {
        assertThat(DependencyCycles.find(List.of("a", "b", "c"), Map.of("c", List.of("a"), "a", List.of("b"), "b", List.of("c"))))
                .containsExactly(List.of("a", "b", "c", "a"));
        assertThat(DependencyCycles.find(List.of("x", "b", "c"), Map.of("x", List.of("c"), "b", List.of("c"), "c", List.of("b"))))
                .containsExactly(List.of("b", "c", "b"));
    }

    @Test
    void separateCyclesAreEachReportedOnce() {
        assertThat(DependencyCycles.find(List.of("a", "b", "c", "d"),
                Map.of("a", List.of("b"), "b", List.of("a"), "c", List.of("d"), "d", List.of("c"))))
                .containsExactly(List.of("a", "b", "a"), List.of("c", "d", "c"));
    }

    @Test
    void aDiamondIsNoCycle() {
        assertThat(DependencyCycles.find(List.of("a", "b", "c", "d"),
                Map.of("a", List.of("b", "c"), "b", List.of("d"), "c", List.of("d")))).isEmpty();
    }

    @Test
    void cyclesThroughJobsAreFoundInStackFiles() {
        assertThat(StackFile.parse("""
                stack: s
                services:
                  api: {image: api, dependsOn: {migrate: completed}}
                jobs:
                  migrate: {command: /bin/migrate, dependsOn: [api]}
                """, "t.yaml").problems()).extracting(Object::toString)
                .containsExactly("services.api.dependsOn: dependency cycle api -> migrate -> api");
    }
}
