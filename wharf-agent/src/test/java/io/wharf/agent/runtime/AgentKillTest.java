package io.wharf.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.driver.process.ProcessDriver;
import io.wharf.agent.logs.LogStream;
import io.wharf.agent.logs.TaskLogStore;
import io.wharf.agent.restart.RestartPolicy;
import io.wharf.model.task.RestartMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent process killed with SIGKILL leaves its tasks running, and a new agent adopts them. */
class AgentKillTest {
    @TempDir Path dir;

    @Test
    void tasksSurviveKillOfTheAgentAndTheNextAgentAdoptsThemWithoutADuplicate() throws Exception {
        Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StandInAgent.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.out").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("handle")));
        TaskHandle handle = TaskHandle.parse(Files.readString(dir.resolve("handle")));

        agent.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup

        try (var logs = new TaskLogStore(dir.resolve("logs"))) {
            var driver = new ProcessDriver(logs, dir.resolve("state"), dir.resolve("volumes"), InstantSource.system());
            int linesAtKill = logs.reader(handle.task()).read(LogStream.STDOUT, null).size();
            await().until(() -> logs.reader(handle.task()).read(LogStream.STDOUT, null).size() > linesAtKill + 3);

            var events = new RecordingListener();
            var config = TaskConfig.of(new TaskId("ticker-1", "main"),
                    new DriverSettings.Process(List.of("sh", "-c", "echo a duplicate; sleep 300"), null));
            var policy = new RestartPolicy(RestartMode.ALWAYS, 3, Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO, 1);
            var runner = new TaskRunner(driver, TaskPlan.main(config, policy), InstantSource.system(), events, handle).start();

            await().until(() -> runner.status().state() == TaskState.RUNNING);
            assertThat(runner.status().reason()).isEqualTo("recovered after agent restart");
            assertThat(runner.status().handle()).isEqualTo(handle);
            assertThat(events.count("main", TaskState.STARTING)).isZero();

            assertThat(runner.stop(Duration.ofSeconds(5)).state()).isEqualTo(TaskState.STOPPED);
            assertThat(driver.recover(handle)).isEmpty();
            assertThat(logs.reader(handle.task()).read(LogStream.STDOUT, null)).noneMatch(l -> l.text().equals("a duplicate"));
        }
    }
}
