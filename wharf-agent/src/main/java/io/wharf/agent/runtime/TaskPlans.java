package io.wharf.agent.runtime;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.Mount;
import io.wharf.agent.driver.PortBinding;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.health.CheckKind;
import io.wharf.agent.health.CheckSettings;
import io.wharf.agent.health.HealthCheck;
import io.wharf.agent.restart.RestartPolicy;
import io.wharf.model.task.DockerDriver;
import io.wharf.model.task.JavaDriver;
import io.wharf.model.task.NetworkMode;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.Probe;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.SimDriver;
import io.wharf.model.task.Protocol;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.task.VolumeMount;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place where the model's {@link TaskSpec} becomes what the agent runs: a driver-facing
 * {@link TaskConfig} plus restart policy and health checks. Drivers never see the model.
 *
 * <p>Ports: a port's number is the instance's assigned port for its name (dynamic ports resolved
 * at placement), else the spec's. Docker bridge tasks listen on the spec's port inside the
 * container and are published on {@code host} (default: the node address) at the assigned port.
 * Configs and secrets are not resolved here: the caller adds them to the env or files first.
 */
public final class TaskPlans {
    private TaskPlans() {}

    /**
     * @param assignedPorts the instance's host ports by port name
     * @param nodeAddress the address ports are published on and checks connect to, e.g. 127.0.0.1
     * @throws IllegalArgumentException when a port has no number (a dynamic port the placement did not assign)
     */
    public static TaskPlan of(String instance, TaskSpec spec, io.wharf.model.task.RestartPolicy restart,
                              Map<String, Integer> assignedPorts, String nodeAddress) {
        boolean bridge = spec.driver() instanceof DockerDriver d && d.network() == NetworkMode.BRIDGE;
        List<PortBinding> ports = new ArrayList<>();
        for (PortSpec p : spec.ports()) {
            int assigned = assignedPorts.getOrDefault(p.name(), p.hostPort() > 0 ? p.hostPort() : p.port());
            if (assigned <= 0) throw new IllegalArgumentException("port " + p.name() + " of task " + spec.name() + " has no number");
            int taskPort = bridge && p.port() > 0 ? p.port() : assigned;
            String host = p.host() == null || p.host().isBlank() ? nodeAddress : p.host();
            ports.add(new PortBinding(p.name(), taskPort, host, assigned, p.protocol() == Protocol.UDP));
        }
        List<Mount> mounts = spec.volumes().stream().map(TaskPlans::mount).toList();
        var config = new TaskConfig(new TaskId(instance, spec.name()), settings(spec), spec.env(),
                spec.resources().cpu().millicores(), spec.resources().memory().bytes(), ports, mounts, spec.stopSignal(),
                spec.stopGracePeriod());
        List<CheckSettings> checks = new ArrayList<>();
        if (spec.health().liveness() != null) checks.add(check(CheckKind.LIVENESS, spec.health().liveness(), ports, nodeAddress));
        if (spec.health().readiness() != null) checks.add(check(CheckKind.READINESS, spec.health().readiness(), ports, nodeAddress));
        return new TaskPlan(config, spec.lifecycle(), RestartPolicy.of(restart), checks);
    }

    static DriverSettings settings(TaskSpec spec) {
        return switch (spec.driver()) {
            case ProcessDriver p -> {
                var command = new ArrayList<>(p.command());
                command.addAll(p.args());
                yield new DriverSettings.Process(command, p.workingDir());
            }
            case JavaDriver j -> new DriverSettings.Java(j.jar(), j.mainClass(), j.classpath(), j.jvmOptions(), j.args(), null, null);
            case DockerDriver d -> new DriverSettings.Docker(d.image(), d.entrypoint(), d.command(),
                    d.network() == NetworkMode.HOST, d.privileged());
            case SimDriver s -> new DriverSettings.Sim(s.failAfter());
        };
    }

    private static Mount mount(VolumeMount v) {
        return v.name() != null && !v.name().isBlank()
                ? new Mount(Mount.Kind.NAMED, v.name(), v.target(), v.readOnly())
                : new Mount(Mount.Kind.HOST_PATH, v.hostPath(), v.target(), v.readOnly());
    }

    private static CheckSettings check(CheckKind kind, Probe probe, List<PortBinding> ports, String nodeAddress) {
        HealthCheck check = switch (probe.type()) {
            case HTTP -> {
                PortBinding p = port(probe, ports, nodeAddress);
                String path = probe.path() == null || probe.path().isBlank() ? "/" : probe.path();
                yield new HealthCheck.Http(URI.create("http://" + p.hostIp() + ":" + p.hostPort() + (path.startsWith("/") ? "" : "/") + path));
            }
            case TCP -> {
                PortBinding p = port(probe, ports, nodeAddress);
                yield new HealthCheck.Tcp(p.hostIp(), p.hostPort());
            }
            case COMMAND -> new HealthCheck.Command(probe.command());
        };
        return new CheckSettings(kind, check, probe.interval(), probe.timeout(), probe.startPeriod(),
                probe.failureThreshold(), probe.successThreshold());
    }

    /** The probe's port: a port name of the task, or a number on the node address. */
    private static PortBinding port(Probe probe, List<PortBinding> ports, String nodeAddress) {
        String ref = probe.port();
        if (ref == null) {
            if (ports.size() == 1) return ports.getFirst();
            throw new IllegalArgumentException("a " + probe.type().wire() + " check needs a port");
        }
        for (PortBinding p : ports) if (p.name().equals(ref)) return p;
        try {
            return PortBinding.tcp("check", nodeAddress, Integer.parseInt(ref));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("check port " + ref + " is not a port of the task", e);
        }
    }
}
