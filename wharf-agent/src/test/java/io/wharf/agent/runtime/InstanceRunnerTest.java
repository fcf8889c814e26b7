package io.wharf.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.Driver;
import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.driver.process.ProcessDriver;
import io.wharf.agent.logs.TaskLogStore;
import io.wharf.agent.restart.RestartPolicy;
import io.wharf.model.task.RestartMode;
import io.wharf.model.task.TaskLifecycle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceRunnerTest {
    private static final RestartPolicy ONCE = new RestartPolicy(RestartMode.ON_FAILURE, 1, Duration.ofMinutes(1),
            Duration.ofMillis(10), Duration.ofMillis(10), 1);

    @TempDir Path dir;
    private TaskLogStore logs;
    private Driver driver;
    private Path journal;
    private final RecordingListener events = new RecordingListener();
    private InstanceRunner instance;

    @BeforeEach
    void setUp() {
        logs = new TaskLogStore(dir.resolve("logs"));
        driver = new ProcessDriver(logs, dir.resolve("state"), dir.resolve("volumes"), InstantSource.system());
        journal = dir.resolve("journal");
    }

    @AfterEach
    void tearDown() {
        if (instance != null) instance.stop();
        logs.close();
    }

    /** A task that writes "NAME start" to the journal, runs {@code body}, and writes "NAME stop" when terminated. */
    private TaskPlan task(String name, TaskLifecycle lifecycle, String body) {
        String script = "echo '" + name + " start' >> " + journal + "; trap \"echo '" + name + " stop' >> " + journal
                + "; exit 0\" TERM; " + body;
        return new TaskPlan(TaskConfig.of(new TaskId("app-1", name), new DriverSettings.Process(List.of("sh", "-c", script), null)),
                lifecycle, ONCE, List.of());
    }

    private static final String FOREVER = "while :; do sleep 0.05; done";

    private InstanceRunner run(TaskPlan... plans) {
        instance = new InstanceRunner("app-1", List.of(plans), name -> name.equals("process") ? driver : null,
                InstantSource.system(), events, Map.of()).start();
        return instance;
    }

    private List<String> journal() throws Exception {
        return Files.exists(journal) ? Files.readAllLines(journal) : List.of();
    }

    @Test
    void prestartRunsToCompletionBeforeMainAndStopGoesMainSidecarPoststop() throws Exception {
        run(task("migrate", TaskLifecycle.PRESTART, "true"),
                task("proxy", TaskLifecycle.SIDECAR, FOREVER),
                task("web", TaskLifecycle.MAIN, FOREVER),
                task("flush", TaskLifecycle.POSTSTOP, "true"));
        await().until(() -> journal().containsAll(List.of("proxy start", "web start")));
        assertThat(journal().getFirst()).isEqualTo("migrate start");

        InstanceEvent last = instance.stop();

        assertThat(last.state()).isEqualTo(InstanceState.STOPPED);
        assertThat(journal()).endsWith("web stop", "proxy stop", "flush start");
    }

    @Test
    void anAdoptedInstanceKeepsItsRunningTasksAndDoesNotRerunPrestart() throws Exception {
        var migrate = task("migrate", TaskLifecycle.PRESTART, "true");
        var web = task("web", TaskLifecycle.MAIN, FOREVER);
        run(migrate, web);
        await().until(() -> instance.tasks().stream().anyMatch(t -> t.id().task().equals("web")
                && t.status().state() == TaskState.RUNNING));
        var handle = instance.tasks().stream().filter(t -> t.id().task().equals("web")).findFirst().orElseThrow()
                .status().handle();
        InstanceRunner abandoned = instance; // the old agent dies without stopping anything

        var events2 = new RecordingListener();
        instance = new InstanceRunner("app-1", List.of(migrate, web), name -> driver, InstantSource.system(), events2,
                Map.of(handle.task(), handle)).start();

        await().until(() -> events2.states("web").contains(TaskState.RUNNING));
        assertThat(events2.states("migrate")).isEmpty();
        assertThat(events2.tasks).filteredOn(e -> e.state() == TaskState.RUNNING).extracting(TaskEvent::reason)
                .containsExactly("recovered after agent restart");
        assertThat(journal()).containsExactly("migrate start", "web start");
        instance.stop();
        abandoned.stop();
    }

    @Test
    void stoppingAnInstanceThatNeverStartedReturnsAtOnce() {
        var never = new InstanceRunner("app-1", List.of(task("web", TaskLifecycle.MAIN, FOREVER)), name -> driver,
                InstantSource.system(), events, Map.of());
        assertThat(never.stop().state()).isEqualTo(InstanceState.STOPPED);
    }

    @Test
    void failingPrestartFailsTheInstanceWithItsReasonAndMainNeverStarts() throws Exception {
        InstanceEvent last = run(task("migrate", TaskLifecycle.PRESTART, "exit 5"), task("web", TaskLifecycle.MAIN, FOREVER))
                .finished().join();
        assertThat(last.state()).isEqualTo(InstanceState.FAILED);
        assertThat(last.reason()).isEqualTo(
                "prestart task migrate failed: start limit reached: 1 restarts within 1m; last run exited with code 5");
        assertThat(journal()).containsExactly("migrate start", "migrate start");
    }

    @Test
    void mainTaskCompletingStopsTheSidecarsAndCompletesTheInstance() throws Exception {
        InstanceEvent last = run(task("proxy", TaskLifecycle.SIDECAR, FOREVER), task("job", TaskLifecycle.MAIN, "sleep 0.2"))
                .finished().join();
        assertThat(last).extracting(InstanceEvent::state, InstanceEvent::reason)
                .containsExactly(InstanceState.COMPLETED, "main task job completed: exited with code 0");
        assertThat(journal()).contains("proxy stop");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badConfigs() throws java.io.IOException {
        var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
        int port = taken.getLocalPort(); // held open until the JVM ends: the port stays taken
        TAKEN.add(taken);
        var process = new DriverSettings.Process(List.of("sh", "-c", "sleep 300"), null);
        var jvm = new DriverSettings.Java(null, "a.Main", List.of(), List.of(), List.of(), null, null);
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("missing command",
                        TaskConfig.of(new TaskId("app-1", "web"), new DriverSettings.Process(List.of(), null)),
                        "missing command: a process task needs a command"),
                org.junit.jupiter.params.provider.Arguments.of("port already taken",
                        TaskConfig.of(new TaskId("app-1", "web"), process)
                                .withPorts(List.of(io.wharf.agent.driver.PortBinding.tcp("http", "127.0.0.1", port))),
                        "port http (127.0.0.1:" + port + ") is already in use"),
                org.junit.jupiter.params.provider.Arguments.of("memory below the minimum",
                        TaskConfig.of(new TaskId("app-1", "web"), jvm).withLimits(0, 8L << 20),
                        "memory limit 8Mi is below the java driver's minimum of 32Mi"));
    }

    private static final List<java.net.ServerSocket> TAKEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("badConfigs")
    void badConfigFailsTheInstanceOnceWithItsReason(String name, TaskConfig config, String reason) {
        var javaDriver = new io.wharf.agent.driver.java.JavaDriver(logs, dir.resolve("state"), dir.resolve("volumes"),
                InstantSource.system());
        var policy = new RestartPolicy(RestartMode.ALWAYS, 5, Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO, 1);
        instance = new InstanceRunner("app-1", List.of(new TaskPlan(config, TaskLifecycle.MAIN, policy, List.of())),
                d -> d.equals("java") ? javaDriver : driver, InstantSource.system(), events, Map.of()).start();

        InstanceEvent last = instance.finished().join();

        assertThat(last).extracting(InstanceEvent::state, InstanceEvent::reason)
                .containsExactly(InstanceState.FAILED, "main task web failed: " + reason);
        assertThat(events.states("web")).containsExactly(TaskState.STARTING, TaskState.FAILED);
    }

    @Test
    void unknownDriverFailsTheInstanceWithAClearReason() {
        var docker = new TaskPlan(TaskConfig.of(new TaskId("app-1", "web"),
                new DriverSettings.Docker("busybox", List.of(), List.of("true"), true, false)), TaskLifecycle.MAIN, ONCE, List.of());
        InstanceEvent last = run(docker).finished().join();
        assertThat(last.reason()).isEqualTo("main task web failed: no docker driver on this node");
        assertThat(events.states("web")).containsExactly(TaskState.STARTING, TaskState.FAILED);
    }
}
