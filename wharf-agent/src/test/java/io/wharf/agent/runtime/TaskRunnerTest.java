package io.wharf.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.driver.process.ProcessDriver;
import io.wharf.agent.health.CheckKind;
import io.wharf.agent.health.CheckSettings;
import io.wharf.agent.health.HealthCheck;
import io.wharf.agent.health.HealthState;
import io.wharf.agent.logs.TaskLogStore;
import io.wharf.agent.restart.RestartPolicy;
import io.wharf.model.task.RestartMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRunnerTest {
    private static final RestartPolicy QUICK = new RestartPolicy(RestartMode.ALWAYS, 3, Duration.ofMinutes(1),
            Duration.ofMillis(50), Duration.ofMillis(200), 2.0);

    @TempDir Path dir;
    private TaskLogStore logs;
    private ProcessDriver driver;
    private final RecordingListener events = new RecordingListener();
    private final List<TaskRunner> runners = new ArrayList<>();

    @BeforeEach
    void setUp() {
        logs = new TaskLogStore(dir.resolve("logs"));
        driver = new ProcessDriver(logs, dir.resolve("state"), dir.resolve("volumes"), InstantSource.system());
    }

    @AfterEach
    void tearDown() {
        runners.forEach(r -> r.stop(Duration.ofSeconds(1)));
        logs.close();
    }

    private TaskRunner run(TaskPlan plan, TaskHandle recovered) {
        var r = new TaskRunner(driver, plan, InstantSource.system(), events, recovered).start();
        runners.add(r);
        return r;
    }

    private static TaskConfig shell(String script) {
        return TaskConfig.of(new TaskId("api-1", "main"), new DriverSettings.Process(List.of("sh", "-c", script), null));
    }

    @Test
    void crashingTaskIsRestartedWithBackoffUntilTheStartLimitThenFailsWithTheReason() {
        TaskRunner r = run(TaskPlan.main(shell("exit 2"), QUICK), null);

        TaskEvent last = r.finished().join();

        assertThat(last.state()).isEqualTo(TaskState.FAILED);
        assertThat(last.reason()).isEqualTo("start limit reached: 3 restarts within 1m; last run exited with code 2");
        assertThat(events.count("main", TaskState.STARTING)).isEqualTo(4);
        assertThat(events.tasks).filteredOn(e -> e.state() == TaskState.RESTARTING).extracting(TaskEvent::reason)
                .containsExactly("exited with code 2; restarting in 50ms", "exited with code 2; restarting in 100ms",
                        "exited with code 2; restarting in 200ms");
    }

    @Test
    void oneShotTaskCompletes() {
        var once = new RestartPolicy(RestartMode.ON_FAILURE, 3, Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO, 1);
        TaskEvent last = run(TaskPlan.main(shell("echo done"), once), null).finished().join();
        assertThat(last.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(last.reason()).isEqualTo("exited with code 0");
        assertThat(events.states("main")).containsExactly(TaskState.STARTING, TaskState.RUNNING, TaskState.COMPLETED);
    }

    @Test
    void badConfigFailsAtOnceWithoutRetries() {
        var config = TaskConfig.of(new TaskId("api-1", "main"), new DriverSettings.Process(List.of("/no/such/binary"), null));
        TaskEvent last = run(TaskPlan.main(config, QUICK), null).finished().join();
        assertThat(last.state()).isEqualTo(TaskState.FAILED);
        assertThat(last.reason()).isEqualTo("command not found: /no/such/binary");
        assertThat(events.states("main")).containsExactly(TaskState.STARTING, TaskState.FAILED);
    }

    @Test
    void failingLivenessCheckRestartsTheTaskAndReadinessFlips() throws Exception {
        Path healthFile = dir.resolve("healthy");
        var config = shell("touch " + healthFile + "; while :; do sleep 0.05; done");
        // The start period covers the moment before a fresh run has touched its file, on a busy machine too.
        var liveness = new CheckSettings(CheckKind.LIVENESS, new HealthCheck.Command(List.of("test", "-f", healthFile.toString())),
                Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofMillis(500), 2, 1);
        var readiness = new CheckSettings(CheckKind.READINESS, new HealthCheck.Command(List.of("test", "-f", healthFile.toString())),
                Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ZERO, 1, 1);
        TaskRunner r = run(TaskPlan.main(config, QUICK).withChecks(List.of(liveness, readiness)), null);
        await().until(() -> r.readiness() == HealthState.HEALTHY);
        assertThat(r.ready()).isTrue();

        Files.delete(healthFile);
        await().until(() -> !r.ready());

        await().until(() -> events.count("main", TaskState.RUNNING) >= 2 && r.readiness() == HealthState.HEALTHY);
        assertThat(events.tasks).filteredOn(e -> e.state() == TaskState.RESTARTING).extracting(TaskEvent::reason)
                .first().isEqualTo("liveness check failed: test -f " + healthFile + ": exit 1; restarting in 50ms");
        assertThat(events.health).extracting(t -> t.kind() + ":" + t.to()).contains(
                "READINESS:HEALTHY", "LIVENESS:HEALTHY", "READINESS:UNHEALTHY", "LIVENESS:UNHEALTHY");
    }

    @Test
    void stopEndsTheTaskAndTheRunner() {
        TaskRunner r = run(TaskPlan.main(shell("while :; do sleep 0.05; done"), QUICK), null);
        await().until(() -> r.status().state() == TaskState.RUNNING);
        assertThat(r.ready()).as("a task without a readiness check is ready while it runs").isTrue();
        TaskHandle h = r.status().handle();

        TaskEvent last = r.stop(Duration.ofSeconds(5));

        assertThat(last.state()).isEqualTo(TaskState.STOPPED);
        assertThat(r.ready()).isFalse();
        assertThat(driver.recover(h)).isEmpty();
    }

    @Test
    void runnerOfARestartedAgentAdoptsTheRunningTaskInsteadOfStartingAnother() {
        TaskRunner first = new TaskRunner(driver, TaskPlan.main(shell("while :; do sleep 0.05; done"), QUICK),
                InstantSource.system(), events, null).start();
        runners.add(first);
        await().until(() -> first.status().state() == TaskState.RUNNING);
        TaskHandle persisted = TaskHandle.parse(first.status().handle().toText());
        // The old agent is gone without stopping its task (kill -9): its runner is simply dropped.

        var newDriver = new ProcessDriver(logs, dir.resolve("state"), dir.resolve("volumes"), InstantSource.system());
        var events2 = new RecordingListener();
        TaskRunner adopted = new TaskRunner(newDriver, TaskPlan.main(shell("while :; do sleep 0.05; done"), QUICK),
                InstantSource.system(), events2, persisted).start();
        runners.add(adopted);

        await().until(() -> adopted.status().state() == TaskState.RUNNING);
        assertThat(adopted.status().reason()).isEqualTo("recovered after agent restart");
        assertThat(adopted.status().handle()).isEqualTo(persisted);
        assertThat(events2.count("main", TaskState.STARTING)).isZero();
    }

    @Test
    void aDetachedRunnerLeavesTheTaskRunningAndNeverRestartsIt() {
        TaskRunner r = run(TaskPlan.main(shell("while :; do sleep 0.05; done"), QUICK), null);
        await().until(() -> r.status().state() == TaskState.RUNNING);
        TaskHandle h = r.status().handle();

        r.detach();
        var other = new ProcessDriver(logs, dir.resolve("state"), dir.resolve("volumes"), InstantSource.system());
        assertThat(other.recover(h)).as("the task outlives its detached runner").isPresent();
        other.stop(h, Duration.ofSeconds(1));
        other.destroy(h);

        // The closed agent's runner must not start the task again (the next agent owns it now).
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                .until(() -> events.count("main", TaskState.STARTING) == 1);
        assertThat(r.stop(Duration.ofSeconds(1)).state()).isEqualTo(TaskState.RUNNING);
    }
}
