package io.wharf.model.task;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.wharf.model.Frozen;
import io.wharf.model.quantity.ComputeResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task of a service or job, fully normalized: the stack file's short form (driver settings
 * on the service) and long form ({@code tasks:}) both end up as a list of these. Copied into
 * an Instance at placement, so an instance keeps running what was placed even if the service
 * changes afterwards.
 */
public record TaskSpec(String name, TaskLifecycle lifecycle, @JsonUnwrapped DriverConfig driver,
                       Map<String, String> env, ComputeResources resources, List<PortSpec> ports,
                       List<VolumeMount> volumes, List<ConfigMount> configs, List<ConfigMount> secrets,
                       HealthSpec health, Duration stopGracePeriod, String stopSignal) {
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    public static final String DEFAULT_STOP_SIGNAL = "SIGTERM";

    public TaskSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        if (lifecycle == null) lifecycle = TaskLifecycle.MAIN;
        env = Frozen.map(env);
        if (resources == null) resources = ComputeResources.DEFAULT;
        ports = Frozen.list(ports);
        volumes = Frozen.list(volumes);
        configs = Frozen.list(configs);
        secrets = Frozen.list(secrets);
        if (health == null) health = HealthSpec.NONE;
        if (stopGracePeriod == null) stopGracePeriod = DEFAULT_STOP_GRACE;
        if (stopSignal == null) stopSignal = DEFAULT_STOP_SIGNAL;
    }

    /** A main task with defaults for everything but the driver. */
    public static TaskSpec main(String name, DriverConfig driver) {
        return new TaskSpec(name, TaskLifecycle.MAIN, driver, Map.of(), null, List.of(), List.of(), List.of(),
                List.of(), null, null, null);
    }

    public TaskSpec withPorts(List<PortSpec> p) {
        return new TaskSpec(name, lifecycle, driver, env, resources, p, volumes, configs, secrets, health, stopGracePeriod, stopSignal);
    }

    public TaskSpec withEnv(Map<String, String> e) {
        return new TaskSpec(name, lifecycle, driver, e, resources, ports, volumes, configs, secrets, health, stopGracePeriod, stopSignal);
    }

    public TaskSpec withHealth(HealthSpec h) {
        return new TaskSpec(name, lifecycle, driver, env, resources, ports, volumes, configs, secrets, h, stopGracePeriod, stopSignal);
    }

    public TaskSpec withResources(ComputeResources r) {
        return new TaskSpec(name, lifecycle, driver, env, r, ports, volumes, configs, secrets, health, stopGracePeriod, stopSignal);
    }
}
