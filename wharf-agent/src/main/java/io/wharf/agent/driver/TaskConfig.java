package io.wharf.agent.driver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a driver needs to run one task, and nothing else: the driver layer never sees
 * services, stacks or scheduling. {@code cpuMillis} and {@code memoryBytes} are limits (0 = none);
 * {@code stopSignal} is a signal name without the {@code SIG} prefix ({@code TERM}).
 */
public record TaskConfig(TaskId id, DriverSettings settings, Map<String, String> env, long cpuMillis,
                         long memoryBytes, List<PortBinding> ports, List<Mount> mounts, String stopSignal,
                         Duration stopGrace) {
    public TaskConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(settings, "settings");
        env = Map.copyOf(env == null ? Map.of() : env);
        ports = List.copyOf(ports == null ? List.of() : ports);
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
        if (cpuMillis < 0) throw new IllegalArgumentException("cpuMillis < 0");
        if (memoryBytes < 0) throw new IllegalArgumentException("memoryBytes < 0");
        stopSignal = Signals.normalize(stopSignal == null ? "TERM" : stopSignal);
        if (stopGrace == null) stopGrace = Duration.ofSeconds(10);
        if (stopGrace.isNegative()) throw new IllegalArgumentException("stopGrace < 0");
    }

    /** Variable names only: the env may hold secret values, and a record's toString ends up in logs. */
    @Override
    public String toString() {
        return "TaskConfig[id=" + id + ", settings=" + settings + ", env keys=" + new java.util.TreeSet<>(env.keySet())
                + ", cpuMillis=" + cpuMillis + ", memoryBytes=" + memoryBytes + ", ports=" + ports + ", mounts=" + mounts
                + ", stopSignal=" + stopSignal + ", stopGrace=" + stopGrace + "]";
    }

    /** A task with no limits, ports or mounts; tests and one-off tasks start here. */
    public static TaskConfig of(TaskId id, DriverSettings settings) {
        return new TaskConfig(id, settings, Map.of(), 0, 0, List.of(), List.of(), "TERM", Duration.ofSeconds(10));
    }

    public TaskConfig withEnv(Map<String, String> e) {
        return new TaskConfig(id, settings, e, cpuMillis, memoryBytes, ports, mounts, stopSignal, stopGrace);
    }

    public TaskConfig withLimits(long cpu, long memory) {
        return new TaskConfig(id, settings, env, cpu, memory, ports, mounts, stopSignal, stopGrace);
    }

    public TaskConfig withPorts(List<PortBinding> p) {
        return new TaskConfig(id, settings, env, cpuMillis, memoryBytes, p, mounts, stopSignal, stopGrace);
    }

    public TaskConfig withMounts(List<Mount> m) {
        return new TaskConfig(id, settings, env, cpuMillis, memoryBytes, ports, m, stopSignal, stopGrace);
    }

    public TaskConfig withStop(String signal, Duration grace) {
        return new TaskConfig(id, settings, env, cpuMillis, memoryBytes, ports, mounts, signal, grace);
    }

    public TaskConfig withSettings(DriverSettings s) {
        return new TaskConfig(id, s, env, cpuMillis, memoryBytes, ports, mounts, stopSignal, stopGrace);
    }

    /**
     * The environment a task sees: its own variables plus {@code WHARF_TASK}, {@code WHARF_INSTANCE}
     * and {@code WHARF_PORT_<NAME>} for every port (the port the task listens on).
     */
    public Map<String, String> effectiveEnv() {
        var all = new java.util.TreeMap<String, String>();
        all.put("WHARF_INSTANCE", id.instance());
        all.put("WHARF_TASK", id.task());
        for (PortBinding p : ports) {
            all.put("WHARF_PORT_" + p.name().toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
                    Integer.toString(p.taskPort()));
        }
        all.putAll(env);
        return all;
    }
}
