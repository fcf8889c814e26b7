package io.wharf.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.PortBinding;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.driver.docker.DockerConnection;
import io.wharf.agent.driver.docker.DockerDriver;
import io.wharf.agent.health.CheckKind;
import io.wharf.agent.health.CheckSettings;
import io.wharf.agent.health.HealthCheck;
import io.wharf.agent.health.HealthState;
import io.wharf.agent.logs.TaskLogStore;
import io.wharf.agent.restart.RestartPolicy;
import io.wharf.model.task.RestartMode;
import io.wharf.testkit.docker.DockerdFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The task runner over real containers: restarts, the start limit and liveness through the docker driver. */
class DockerTaskRunnerTest {
    @RegisterExtension static final DockerdFixture dockerd = new DockerdFixture();
    private static final RestartPolicy QUICK = new RestartPolicy(RestartMode.ALWAYS, 2, Duration.ofMinutes(1),
            Duration.ofMillis(50), Duration.ofMillis(200), 2.0);

    @TempDir Path dir;
    private TaskLogStore logs;
    private DockerDriver driver;
    private final RecordingListener events = new RecordingListener();
    private TaskRunner runner;

    @BeforeEach
    void setUp() {
        dockerd.busyboxImage();
        logs = new TaskLogStore(dir.resolve("logs"));
        driver = new DockerDriver(new DockerConnection(dockerd.host(), dockerd.apiVersion()), logs, InstantSource.system());
    }

    @AfterEach
    void tearDown() {
        if (runner != null) runner.stop(Duration.ofSeconds(1));
        driver.close();
        logs.close();
    }

    private static TaskConfig busybox(String script) {
        return TaskConfig.of(new TaskId("web-1", "main"), new DriverSettings.Docker(DockerdFixture.BUSYBOX_IMAGE, List.of(),
                List.of("sh", "-c", script), true, false));
    }

    @Test
    void crashingContainerIsRestartedWithBackoffThenFailsAtTheStartLimit() {
        runner = new TaskRunner(driver, TaskPlan.main(busybox("exit 1"), QUICK), InstantSource.system(), events, null).start();

        TaskEvent last = runner.finished().join();

        assertThat(last.reason()).isEqualTo("start limit reached: 2 restarts within 1m; last run exited with code 1");
        assertThat(events.count("main", TaskState.STARTING)).isEqualTo(3);
        assertThat(driver.byLabels(new TaskId("web-1", "main"))).isEmpty();
    }

    @Test
    void unknownImageFailsOnceWithoutRetrying() {
        var config = TaskConfig.of(new TaskId("web-1", "main"),
                new DriverSettings.Docker("nope/missing:1", List.of(), List.of("true"), true, false));
        runner = new TaskRunner(driver, TaskPlan.main(config, QUICK), InstantSource.system(), events, null).start();
        assertThat(runner.finished().join().reason()).isEqualTo("unknown image nope/missing:1: not present on this node");
        assertThat(events.states("main")).containsExactly(TaskState.STARTING, TaskState.FAILED);
    }

    @Test
    void httpLivenessFailureRestartsTheContainer() throws IOException {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        var config = busybox("mkdir -p /www && echo ok > /www/health && exec httpd -f -p 127.0.0.1:$WHARF_PORT_HTTP -h /www")
                .withPorts(List.of(PortBinding.tcp("http", "127.0.0.1", port)))
                .withStop("TERM", Duration.ofMillis(500)); // httpd as pid 1 ignores TERM: it is killed after the grace
        var liveness = new CheckSettings(CheckKind.LIVENESS, new HealthCheck.Http(URI.create("http://127.0.0.1:" + port + "/health")),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1);
        var readiness = new CheckSettings(CheckKind.READINESS, new HealthCheck.Tcp("127.0.0.1", port),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO, 1, 1);
        runner = new TaskRunner(driver, TaskPlan.main(config, QUICK).withChecks(List.of(liveness, readiness)),
                InstantSource.system(), events, null).start();
        await().until(() -> runner.readiness() == HealthState.HEALTHY
                && events.health.stream().anyMatch(t -> t.kind() == CheckKind.LIVENESS && t.to() == HealthState.HEALTHY));
        TaskHandle first = runner.status().handle();

        assertThat(driver.exec(first, List.of("rm", "/www/health"), Duration.ofSeconds(5)).exitCode()).isZero();

        await().until(() -> events.count("main", TaskState.RUNNING) >= 2);
        assertThat(events.tasks).filteredOn(e -> e.state() == TaskState.RESTARTING).extracting(TaskEvent::reason)
                .first().asString().startsWith("liveness check failed: GET http://127.0.0.1:" + port + "/health: 404");
        assertThat(runner.status().handle().attribute("containerId")).isNotEqualTo(first.attribute("containerId"));
        await().until(() -> runner.readiness() == HealthState.HEALTHY);
    }
}
