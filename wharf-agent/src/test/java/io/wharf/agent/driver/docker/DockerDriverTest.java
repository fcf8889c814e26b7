package io.wharf.agent.driver.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.Mount;
import io.wharf.agent.driver.PortBinding;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.logs.LogLine;
import io.wharf.agent.logs.LogStream;
import io.wharf.agent.logs.TaskLogStore;
import io.wharf.testkit.docker.DockerdFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DockerDriverTest {
    @RegisterExtension static final DockerdFixture dockerd = new DockerdFixture();

    @TempDir Path dir;
    private TaskLogStore logs;
    private DockerDriver driver;
    private final List<DockerDriver> drivers = new ArrayList<>();
    private final List<TaskHandle> started = new ArrayList<>();

    static DockerConnection connection() {
        return new DockerConnection(dockerd.host(), dockerd.apiVersion());
    }

    @BeforeEach
    void setUp() {
        dockerd.busyboxImage();
        logs = new TaskLogStore(dir.resolve("logs"));
        driver = newDriver();
    }

    private DockerDriver newDriver() {
        var d = new DockerDriver(connection(), logs, InstantSource.system());
        drivers.add(d);
        return d;
    }

    @AfterEach
    void tearDown() {
        started.forEach(driver::destroy);
        drivers.forEach(DockerDriver::close);
        logs.close();
    }

    static TaskConfig busybox(String task, String script) {
        return TaskConfig.of(new TaskId("web-1", task), new DriverSettings.Docker(DockerdFixture.BUSYBOX_IMAGE, List.of(),
                List.of("sh", "-c", script), true, false));
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
    void runsALabelledLimitedContainerAndCopiesItsOutputIntoTheTaskLogs() {
        var config = busybox("main", "echo hello $GREETING; echo oops >&2; sleep 300")
                .withEnv(Map.of("GREETING", "docker")).withLimits(500, 64L << 20);
        TaskHandle h = start(config);

        await().untilAsserted(() -> {
            assertThat(lines(config.id(), LogStream.STDOUT)).containsExactly("hello docker");
            assertThat(lines(config.id(), LogStream.STDERR)).containsExactly("oops");
        });
        var inspect = driver.inspect(h);
        assertThat(inspect.getConfig().getLabels()).containsEntry("wharf.instance", "web-1").containsEntry("wharf.task", "main");
        assertThat(inspect.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(inspect.getHostConfig().getMemory()).isEqualTo(64L << 20);
    }

    @Test
    void crashReportsTheExitCode() {
        TaskHandle h = start(busybox("main", "exit 3"));
        assertThat(driver.wait(h).join().message()).isEqualTo("exited with code 3");
    }

    @Test
    void stopLetsAContainerThatHandlesTermExitCleanly() {
        var config = busybox("main", "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.05; done");
        TaskHandle h = start(config);
        await().until(() -> lines(config.id(), LogStream.STDOUT).contains("ready"));

        driver.stop(h, Duration.ofSeconds(10));

        assertThat(driver.wait(h).join().exitCode()).isZero();
        await().untilAsserted(() -> assertThat(lines(config.id(), LogStream.STDOUT)).containsExactly("ready", "bye"));
    }

    @Test
    void stopKillsAContainerThatIgnoresTermAfterTheGrace() {
        var config = busybox("main", "trap '' TERM; echo ready; while :; do sleep 0.05; done");
        TaskHandle h = start(config);
        await().until(() -> lines(config.id(), LogStream.STDOUT).contains("ready"));

        driver.stop(h, Duration.ofMillis(300));

        assertThat(driver.wait(h).join().message()).isEqualTo("killed by signal 9 (exit code 137)");
    }

    @Test
    void aContainerKilledFromOutsideIsNoticedThroughTheEventsStream() throws IOException {
        TaskHandle h = start(busybox("main", "sleep 300"));
        var exit = driver.wait(h);
        assertThat(exit).isNotDone();
        try (var other = connection().open()) {
            other.killContainerCmd(h.attribute(DockerDriver.CONTAINER)).exec();
        }
        await().atMost(Duration.ofSeconds(5)).until(exit::isDone);
        assertThat(exit.join().exitCode()).isEqualTo(137);
    }

    @Test
    void aNewDriverRecoversTheSameContainerEvenFromAStaleContainerId() {
        TaskHandle h = start(busybox("main", "sleep 300"));

        TaskHandle same = newDriver().recover(TaskHandle.parse(h.toText())).orElseThrow();
        assertThat(same).isEqualTo(h);

        var attrs = new HashMap<>(h.attributes());
        attrs.put(DockerDriver.CONTAINER, "0000000000000000000000000000000000000000000000000000000000000000");
        DockerDriver afterRestart = newDriver();
        TaskHandle byLabel = afterRestart.recover(new TaskHandle("docker", h.task(), h.startedAt(), attrs)).orElseThrow();
        assertThat(byLabel.attribute(DockerDriver.CONTAINER)).isEqualTo(h.attribute(DockerDriver.CONTAINER));
        assertThat(afterRestart.byLabels(h.task())).hasSize(1);
        assertThat(afterRestart.wait(byLabel)).isNotDone();
    }

    @Test
    void execRunsInsideTheContainer() {
        TaskHandle h = start(busybox("main", "sleep 300").withEnv(Map.of("COLOR", "blue")));
        var r = driver.exec(h, List.of("sh", "-c", "echo $COLOR; hostname >/dev/null; exit 4"), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.output()).isEqualTo("blue\n");
    }

    @Test
    void statsReportMemoryAndCpu() {
        TaskHandle h = start(busybox("main", "while :; do :; done").withLimits(200, 32L << 20));
        await().untilAsserted(() -> {
            var stats = driver.stats(h).orElseThrow();
            assertThat(stats.memoryBytes()).isPositive();
            assertThat(stats.cpuNanos()).isPositive();
        });
    }

    @Test
    void namedVolumeDataOutlivesTheContainer() {
        var config = busybox("main", "echo $((`cat /data/count 2>/dev/null || echo 0` + 1)) > /data/count; cat /data/count")
                .withMounts(List.of(new Mount(Mount.Kind.NAMED, "wharf-test-counter", "/data", false)));
        TaskHandle first = start(config);
        driver.wait(first).join();
        driver.destroy(first);
        TaskHandle second = start(config);
        driver.wait(second).join();
        await().untilAsserted(() -> assertThat(lines(config.id(), LogStream.STDOUT)).containsExactly("1", "2"));
    }

    @Test
    void hostPathIsBindMounted() throws IOException {
        java.nio.file.Files.writeString(dir.resolve("greeting"), "from the host\n");
        var config = busybox("main", "cat /conf/greeting")
                .withMounts(List.of(new Mount(Mount.Kind.HOST_PATH, dir.toString(), "/conf", true)));
        TaskHandle h = start(config);
        assertThat(driver.wait(h).join().exitCode()).isZero();
        await().untilAsserted(() -> assertThat(lines(config.id(), LogStream.STDOUT)).containsExactly("from the host"));
    }

    @Test
    void unknownImageIsRejected() {
        var config = TaskConfig.of(new TaskId("web-1", "main"),
                new DriverSettings.Docker("nope/missing:1", List.of(), List.of("true"), true, false));
        assertThat(driver.start(config)).isEqualTo(new StartResult.Rejected("unknown image nope/missing:1: not present on this node"));
    }

    @Test
    void memoryBelowTheMinimumIsRejected() {
        assertThat(driver.start(busybox("main", "true").withLimits(0, 4L << 20)))
                .isEqualTo(new StartResult.Rejected("memory limit 4Mi is below the docker driver's minimum of 6Mi"));
    }

    @Test
    void portAlreadyTakenIsRejected() throws IOException {
        try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            var config = busybox("main", "true").withPorts(List.of(PortBinding.tcp("http", "127.0.0.1", port)));
            assertThat(driver.start(config)).isEqualTo(new StartResult.Rejected("port http (127.0.0.1:" + port + ") is already in use"));
        }
    }

    @Test
    void missingProgramInTheImageIsRejected() {
        var config = TaskConfig.of(new TaskId("web-1", "main"), new DriverSettings.Docker(DockerdFixture.BUSYBOX_IMAGE,
                List.of(), List.of("/no/such/program"), true, false));
        assertThat(driver.start(config)).isInstanceOf(StartResult.Rejected.class);
        assertThat(driver.byLabels(config.id())).isEmpty();
    }

    @Test
    void publishedPortsOnADaemonWithoutABridgeAreRejected() {
        // The fixture's daemon runs with --bridge=none, like a node where Docker must not touch host networking.
        var config = TaskConfig.of(new TaskId("web-1", "main"), new DriverSettings.Docker(DockerdFixture.BUSYBOX_IMAGE,
                List.of(), List.of("true"), false, false)).withPorts(List.of(new PortBinding("http", 80, "127.0.0.1", 1, false)));
        assertThat(driver.start(config)).isEqualTo(new StartResult.Rejected(
                "port http needs bridge networking, which this node's Docker Engine does not have; use host networking"));
        assertThat(driver.fingerprint().attributes()).containsEntry("bridgeNetwork", "false");
    }

    @Test
    void fingerprintReportsTheDaemonVersion() {
        var fp = driver.fingerprint();
        assertThat(fp.available()).isTrue();
        assertThat(fp.attributes()).containsEntry("apiVersion", dockerd.apiVersion());
    }
}
