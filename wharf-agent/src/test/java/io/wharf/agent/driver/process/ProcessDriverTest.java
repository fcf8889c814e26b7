package io.wharf.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.ExitResult;
import io.wharf.agent.driver.Mount;
import io.wharf.agent.driver.PortBinding;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.logs.LogLine;
import io.wharf.agent.logs.LogStream;
import io.wharf.agent.logs.TaskLogStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessDriverTest {
    @TempDir Path dir;
    private TaskLogStore logs;
    private ProcessDriver driver;
    private final List<TaskHandle> started = new ArrayList<>();

    @BeforeEach
    void setUp() {
        logs = new TaskLogStore(dir.resolve("logs"));
        driver = newDriver();
    }

    /** A driver as a (re)started agent makes it: same directories, no memory of earlier tasks. */
    private ProcessDriver newDriver() {
        return new ProcessDriver(logs, dir.resolve("state"), dir.resolve("volumes"), InstantSource.system());
    }

    @AfterEach
    void tearDown() {
        started.forEach(h -> newDriver().destroy(h));
        logs.close();
    }

    private static TaskConfig shell(String task, String script) {
        return TaskConfig.of(new TaskId("web-1", task), new DriverSettings.Process(List.of("sh", "-c", script), null));
    }

    private TaskHandle start(TaskConfig config) {
        StartResult r = driver.start(config);
        assertThat(r).isInstanceOf(StartResult.Started.class);
        TaskHandle h = ((StartResult.Started) r).handle();
        started.add(h);
        return h;
    }

    private List<String> lines(TaskId task, LogStream stream) {
        return logs.reader(task).read(stream, null).stream().map(LogLine::text).toList();
    }

    @Test
    void runsWithItsEnvAndWorkingDirAndCapturesBothStreams() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        var config = TaskConfig.of(new TaskId("web-1", "main"), new DriverSettings.Process(
                List.of("sh", "-c", "echo \"greeting=$GREETING task=$WHARF_TASK\"; pwd; echo oops >&2"), work.toString()))
                .withEnv(Map.of("GREETING", "hello"));
        TaskHandle h = start(config);

        assertThat(driver.wait(h).join().exitCode()).isZero();
        await().untilAsserted(() -> assertThat(lines(config.id(), LogStream.STDOUT))
                .containsExactly("greeting=hello task=main", work.toString()));
        assertThat(lines(config.id(), LogStream.STDERR)).containsExactly("oops");
    }

    @Test
    void relativeProgramIsFoundInTheWorkingDirectory() throws IOException {
        Path work = Files.createDirectories(dir.resolve("app"));
        Path script = Files.writeString(work.resolve("run.sh"), "#!/bin/sh\necho from $(pwd)\n");
        script.toFile().setExecutable(true);
        var config = TaskConfig.of(new TaskId("web-1", "main"), new DriverSettings.Process(List.of("./run.sh"), work.toString()));
        TaskHandle h = start(config);
        assertThat(driver.wait(h).join().exitCode()).isZero();
        await().untilAsserted(() -> assertThat(lines(config.id(), LogStream.STDOUT)).containsExactly("from " + work));
    }

    @Test
    void crashReportsTheExitCode() {
        TaskHandle h = start(shell("main", "exit 3"));
        ExitResult exit = driver.wait(h).join();
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.message()).isEqualTo("exited with code 3");
    }

    @Test
    void stopLetsAProcessThatHandlesTermExitCleanlyWithinTheGrace() {
        var config = shell("main", "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.05; done");
        TaskHandle h = start(config);
        await().until(() -> lines(config.id(), LogStream.STDOUT).contains("ready"));

        driver.stop(h, Duration.ofSeconds(10));

        assertThat(driver.wait(h).join().exitCode()).isZero();
        await().untilAsserted(() -> assertThat(lines(config.id(), LogStream.STDOUT)).containsExactly("ready", "bye"));
    }

    @Test
    void stopKillsTheWholeGroupOfAProcessThatIgnoresTermAfterTheGrace() {
        var config = shell("main", "trap '' TERM; sleep 300 & echo ready; while :; do sleep 0.05; done");
        TaskHandle h = start(config);
        await().until(() -> lines(config.id(), LogStream.STDOUT).contains("ready"));
        long pgid = Long.parseLong(h.attribute("pid"));
        assertThat(ProcStat.group(pgid)).hasSizeGreaterThanOrEqualTo(3);

        driver.stop(h, Duration.ofMillis(300));

        assertThat(driver.wait(h).join().message()).isEqualTo("killed by signal 9 (exit code 137)");
        await().untilAsserted(() -> assertThat(ProcStat.group(pgid)).isEmpty());
    }

    @Test
    void configuredStopSignalIsSent() {
        var config = shell("main", "trap 'exit 7' HUP; echo ready; while :; do sleep 0.05; done")
                .withStop("SIGHUP", Duration.ofSeconds(10));
        TaskHandle h = start(config);
        await().until(() -> lines(config.id(), LogStream.STDOUT).contains("ready"));
        driver.stop(h, Duration.ofSeconds(10));
        assertThat(driver.wait(h).join().exitCode()).isEqualTo(7);
    }

    @Test
    void aNewDriverRecoversTheSameProcessFromThePersistedHandle() {
        var config = shell("main", "echo ready; while :; do sleep 0.05; done");
        TaskHandle h = start(config);
        String persisted = h.toText();

        ProcessDriver afterRestart = newDriver();
        TaskHandle recovered = afterRestart.recover(TaskHandle.parse(persisted)).orElseThrow();

        assertThat(recovered).isEqualTo(h);
        assertThat(afterRestart.wait(recovered)).isNotDone();
        await().untilAsserted(() -> assertThat(afterRestart.stats(recovered).orElseThrow().processes()).isGreaterThanOrEqualTo(2));
        afterRestart.stop(recovered, Duration.ofSeconds(5));
        assertThat(afterRestart.wait(recovered).join().message()).isEqualTo("killed by signal 15 (exit code 143)");
        assertThat(afterRestart.recover(h)).isEmpty();
    }

    @Test
    void aHandleWhosePidWasReusedIsNotRecovered() {
        TaskHandle h = start(shell("main", "while :; do sleep 0.05; done"));
        var attrs = new java.util.HashMap<>(h.attributes());
        attrs.put("startTicks", Long.toString(Long.parseLong(h.attribute("startTicks")) - 1));
        var reused = new TaskHandle(h.driver(), h.task(), h.startedAt(), attrs);
        assertThat(newDriver().recover(reused)).isEmpty();
    }

    @Test
    void execRunsInTheTaskEnvironmentAndWorkingDirectory() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        var config = TaskConfig.of(new TaskId("web-1", "main"),
                        new DriverSettings.Process(List.of("sh", "-c", "while :; do sleep 0.05; done"), work.toString()))
                .withEnv(Map.of("COLOR", "blue"));
        TaskHandle h = start(config);
        var result = driver.exec(h, List.of("sh", "-c", "echo $COLOR; pwd; exit 4"), Duration.ofSeconds(5));
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.output()).isEqualTo("blue\n" + work + "\n");
    }

    @Test
    void statsReportMemoryOfTheProcessGroup() {
        TaskHandle h = start(shell("main", "while :; do sleep 0.05; done"));
        await().untilAsserted(() -> {
            var stats = driver.stats(h).orElseThrow();
            assertThat(stats.memoryBytes()).isPositive();
            assertThat(stats.processes()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void namedVolumeDataOutlivesTheTask() {
        var config = shell("main", "echo $((`cat $WHARF_VOLUME_DATA/count 2>/dev/null || echo 0` + 1)) > $WHARF_VOLUME_DATA/count")
                .withMounts(List.of(new Mount(Mount.Kind.NAMED, "pgdata", "/var/data", false)));
        TaskHandle first = start(config);
        driver.wait(first).join();
        driver.destroy(first);
        TaskHandle second = start(config);
        driver.wait(second).join();
        assertThat(dir.resolve("volumes/pgdata/count")).hasContent("2");
    }

    @Test
    void missingCommandIsRejected() {
        var config = TaskConfig.of(new TaskId("web-1", "main"), new DriverSettings.Process(List.of(), null));
        assertThat(driver.start(config)).isEqualTo(new StartResult.Rejected("missing command: a process task needs a command"));
    }

    @Test
    void unknownProgramIsRejected() {
        var config = TaskConfig.of(new TaskId("web-1", "main"), new DriverSettings.Process(List.of("no-such-program-x"), null));
        assertThat(driver.start(config)).isEqualTo(new StartResult.Rejected("command not found: no-such-program-x"));
    }

    @Test
    void portAlreadyTakenIsRejected() throws IOException {
        try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            var config = shell("main", "true").withPorts(List.of(PortBinding.tcp("http", "127.0.0.1", port)));
            assertThat(driver.start(config)).isEqualTo(
                    new StartResult.Rejected("port http (127.0.0.1:" + port + ") is already in use"));
        }
    }

    @Test
    void fingerprintFindsSetsid() {
        var fp = driver.fingerprint();
        assertThat(fp.available()).isTrue();
        assertThat(fp.attributes()).containsKey("setsid");
    }
}
