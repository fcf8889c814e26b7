package io.wharf.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.FakeDriver;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.restart.RestartPolicy;
import io.wharf.model.task.RestartMode;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failures that are not the task's own exit, acted out with a fake driver. */
class TaskRunnerFaultsTest {
    private static final TaskConfig CONFIG = TaskConfig.of(new TaskId("api-1", "main"),
            new DriverSettings.Process(List.of("api"), null));
    private final FakeDriver driver = new FakeDriver();
    private final RecordingListener events = new RecordingListener();

    @Test
    void aStartThatFailsForAPassingReasonIsRetriedLikeACrash() {
        driver.failNextStart("docker daemon not reachable");
        var policy = new RestartPolicy(RestartMode.ALWAYS, 3, Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO, 1);
        var runner = new TaskRunner(driver, TaskPlan.main(CONFIG, policy), InstantSource.system(), events, null).start();

        await().until(() -> runner.status().state() == TaskState.RUNNING);

        assertThat(events.tasks).extracting(TaskEvent::state, TaskEvent::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TaskState.STARTING, "starting"),
                org.assertj.core.groups.Tuple.tuple(TaskState.RESTARTING, "start failed: docker daemon not reachable; restarting in 0ms"),
                org.assertj.core.groups.Tuple.tuple(TaskState.STARTING, "restarting after start failed: docker daemon not reachable"),
                org.assertj.core.groups.Tuple.tuple(TaskState.RUNNING, "started"));
        runner.stop(Duration.ofSeconds(1));
    }

    @Test
    void aTaskGoneWhileTheAgentWasAwayIsRestartedByItsPolicy() {
        var first = ((io.wharf.agent.driver.StartResult.Started) driver.start(CONFIG)).handle();
        driver.exit(first, 1);
        var policy = new RestartPolicy(RestartMode.ON_FAILURE, 3, Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO, 1);

        var runner = new TaskRunner(driver, TaskPlan.main(CONFIG, policy), InstantSource.system(), events, first).start();

        await().until(() -> runner.status().state() == TaskState.RUNNING);
        assertThat(events.tasks).extracting(TaskEvent::reason).startsWith(
                "ended while the agent was away; restarting in 0ms");
        assertThat(driver.starts()).isEqualTo(2);
        runner.stop(Duration.ofSeconds(1));
    }

    @Test
    void stopDuringTheBackoffEndsTheRunnerWithoutAnotherStart() {
        var slow = new RestartPolicy(RestartMode.ALWAYS, 3, Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(5), 1);
        var runner = new TaskRunner(driver, TaskPlan.main(CONFIG, slow), InstantSource.system(), events, null).start();
        await().until(() -> runner.status().state() == TaskState.RUNNING);
        driver.exit(runner.status().handle(), 1);
        await().until(() -> runner.status().state() == TaskState.RESTARTING);

        TaskEvent last = runner.stop(Duration.ofSeconds(1));

        assertThat(last.reason()).isEqualTo("stopped while waiting to restart");
        assertThat(driver.starts()).isEqualTo(1);
    }
}
