package io.wharf.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.Mount;
import io.wharf.agent.driver.PortBinding;
import io.wharf.agent.health.CheckKind;
import io.wharf.agent.health.CheckSettings;
import io.wharf.agent.health.HealthCheck;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.task.DockerDriver;
import io.wharf.model.task.HealthSpec;
import io.wharf.model.task.NetworkMode;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.Probe;
import io.wharf.model.task.ProbeType;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.Protocol;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.task.VolumeMount;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskPlansTest {
    @Test
    void dockerBridgeTaskListensOnItsPortAndIsPublishedOnTheAssignedOne() {
        var spec = new TaskSpec("web", TaskLifecycle.MAIN,
                new DockerDriver("nginx:1", List.of(), List.of("nginx"), NetworkMode.BRIDGE, false),
                Map.of("MODE", "prod"), new ComputeResources(new Cpu(250), ByteSize.ofMebibytes(64)),
                List.of(new PortSpec("http", 80, Protocol.TCP, null, 0)),
                List.of(new VolumeMount("cache", null, "/var/cache", false), new VolumeMount(null, "/srv/conf", "/conf", true)),
                List.of(), List.of(),
                new HealthSpec(new Probe(ProbeType.HTTP, "healthz", "http", List.of(), Duration.ofSeconds(5),
                        Duration.ofSeconds(1), Duration.ofSeconds(3), 2, 1), null),
                Duration.ofSeconds(7), "SIGQUIT");

        TaskPlan plan = TaskPlans.of("web-1", spec, RestartPolicy.SERVICE_DEFAULT, Map.of("http", 31080), "127.0.0.1");

        var config = plan.config();
        assertThat(config.settings()).isEqualTo(new DriverSettings.Docker("nginx:1", List.of(), List.of("nginx"), false, false));
        assertThat(config.ports()).containsExactly(new PortBinding("http", 80, "127.0.0.1", 31080, false));
        assertThat(config.mounts()).containsExactly(new Mount(Mount.Kind.NAMED, "cache", "/var/cache", false),
                new Mount(Mount.Kind.HOST_PATH, "/srv/conf", "/conf", true));
        assertThat(config.cpuMillis()).isEqualTo(250);
        assertThat(config.memoryBytes()).isEqualTo(64L << 20);
        assertThat(config.stopSignal()).isEqualTo("QUIT");
        assertThat(config.stopGrace()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.effectiveEnv()).containsEntry("MODE", "prod").containsEntry("WHARF_PORT_HTTP", "80");
        assertThat(plan.checks()).containsExactly(new CheckSettings(CheckKind.LIVENESS,
                new HealthCheck.Http(URI.create("http://127.0.0.1:31080/healthz")), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(3), 2, 1));
        assertThat(plan.restart().attempts()).isEqualTo(10);
    }

    @Test
    void processTaskGetsCommandAndArgsAndTheAssignedPort() {
        var spec = TaskSpec.main("api", new ProcessDriver(List.of("./api"), List.of("--verbose"), "/srv/api"))
                .withPorts(List.of(PortSpec.tcp("http", 0)))
                .withHealth(new HealthSpec(null, new Probe(ProbeType.TCP, null, null, List.of(), null, null, null, 1, 1)));

        TaskPlan plan = TaskPlans.of("api-1", spec, RestartPolicy.SERVICE_DEFAULT, Map.of("http", 31001), "127.0.0.2");

        assertThat(plan.config().settings()).isEqualTo(new DriverSettings.Process(List.of("./api", "--verbose"), "/srv/api"));
        assertThat(plan.config().effectiveEnv()).containsEntry("WHARF_PORT_HTTP", "31001");
        assertThat(plan.checks()).extracting(CheckSettings::kind, CheckSettings::check)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CheckKind.READINESS, new HealthCheck.Tcp("127.0.0.2", 31001)));
    }

    @Test
    void dynamicPortWithoutAnAssignmentIsAnError() {
        var spec = TaskSpec.main("api", new ProcessDriver(List.of("./api"), List.of(), null))
                .withPorts(List.of(PortSpec.tcp("http", 0)));
        assertThatThrownBy(() -> TaskPlans.of("api-1", spec, RestartPolicy.SERVICE_DEFAULT, Map.of(), "127.0.0.1"))
                .hasMessage("port http of task api has no number");
    }
}
