package io.wharf.model.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceTemplateTest {
    static TaskSpec task(String arg) {
        return TaskSpec.main("main", new ProcessDriver(List.of("/bin/sleep"), List.of(arg), null));
    }

    @Test
    void theHashIsTwelveHexCharactersAndStable() {
        String h = InstanceTemplate.of(ServiceSpec.of(3, task("1")), null).hash();
        assertThat(h).matches("[0-9a-f]{12}");
        assertThat(InstanceTemplate.of(ServiceSpec.of(3, task("1")), null).hash()).isEqualTo(h);
    }

    @Test
    void replicasDoNotChangeTheTemplateButTasksAndTheRestartMarkerDo() {
        String h = InstanceTemplate.of(ServiceSpec.of(3, task("1")), null).hash();
        assertThat(InstanceTemplate.of(ServiceSpec.of(7, task("1")), null).hash()).isEqualTo(h);
        assertThat(InstanceTemplate.of(ServiceSpec.of(3, task("2")), null).hash()).isNotEqualTo(h);
        assertThat(InstanceTemplate.of(ServiceSpec.of(3, task("1")), Instant.parse("2026-01-01T00:00:00Z")).hash())
                .isNotEqualTo(h);
    }

    @Test
    void mapOrderDoesNotChangeTheHash() {
        TaskSpec a = task("1").withEnv(Map.of("A", "1", "B", "2"));
        java.util.LinkedHashMap<String, String> reversed = new java.util.LinkedHashMap<>();
        reversed.put("B", "2");
        reversed.put("A", "1");
        TaskSpec b = task("1").withEnv(reversed);
        assertThat(new InstanceTemplate(List.of(a), null, null).hash()).isEqualTo(new InstanceTemplate(List.of(b), null, null).hash());
    }
}
