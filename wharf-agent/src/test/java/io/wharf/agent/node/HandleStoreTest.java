package io.wharf.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.agent.Workloads;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.model.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandleStoreTest {
    @TempDir Path dir;

    @Test
    void aNewStoreOnTheSameDirectoryFindsTheInstancesAndTheirRunningTasks() {
        Instance web = Workloads.shell("web-1", "web", "node-a", "sleep 60", Map.of("http", 8080));
        var key = new InstanceKey("default", "web-1");
        var handle = new TaskHandle("process", new TaskId(key.taskInstance(), "main"), Instant.parse("2026-11-22T03:00:00Z"),
                Map.of("pid", "4242"));
        var store = new HandleStore(dir);
        store.saveInstance(web);
        store.saveHandle(key, handle);

        var found = new HandleStore(dir).load();

        assertThat(found).containsOnlyKeys(key);
        assertThat(found.get(key).instance().spec()).isEqualTo(web.spec());
        assertThat(found.get(key).handles()).containsExactly(Map.entry(handle.task(), handle));
    }

    @Test
    void anEndedTaskAndAForgottenInstanceLeaveNothingToAdopt() {
        var key = new InstanceKey("default", "web-1");
        var store = new HandleStore(dir);
        store.saveInstance(Workloads.shell("web-1", "web", "node-a", "sleep 60", Map.of()));
        store.saveHandle(key, new TaskHandle("process", new TaskId(key.taskInstance(), "main"), Instant.EPOCH, Map.of()));

        store.removeHandle(key, "main");
        assertThat(store.load().get(key).handles()).isEmpty();

        store.forget(key);
        assertThat(store.load()).isEmpty();
        assertThat(Files.exists(dir.resolve("default.web-1"))).isFalse();
    }
}
