package io.wharf.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.agent.health.CheckKind;
import io.wharf.model.cluster.InstanceState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The agent's metrics, in Prometheus text format from {@link #scrape()}:
 * <ul>
 *   <li>{@code wharf_task_health{namespace,instance,task,check}}: 1 while the task's liveness or
 *       readiness check passes, else 0;</li>
 *   <li>{@code wharf_task_restarts_total{namespace,instance,task}}: restarts of the task by this agent;</li>
 *   <li>{@code wharf_instances{state}}: instances this agent knows, by state;</li>
 *   <li>{@code wharf_health_check_duration_seconds{check}}: how long check runs take.</li>
 * </ul>
 * Labels stay low-cardinality: per-instance series exist only while the instance runs here and
 * are removed by {@link #forget} when it stops.
 *
 * <p>Thread safety: safe for many threads; one lock orders creating and removing an instance's series.
 */
public final class AgentMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, InstanceSeries> instances = new ConcurrentHashMap<>();
    private final Map<CheckKind, Timer> checkTimers = new ConcurrentHashMap<>();

    /** @param states the current state of every instance the agent knows, read at each scrape */
    public AgentMetrics(Supplier<Collection<InstanceState>> states) {
        for (InstanceState s : InstanceState.values()) {
            Gauge.builder("wharf.instances", () -> states.get().stream().filter(s::equals).count())
                    .description("Instances on this node by state")
                    .tag("state", s.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        for (CheckKind k : CheckKind.values()) {
            checkTimers.put(k, Timer.builder("wharf.health.check.duration")
                    .description("Duration of one health check run")
                    .tag("check", check(k))
                    .register(registry));
        }
    }

    /** A check of a task now passes ({@code healthy}) or not. */
    public void health(String namespace, String instance, String task, CheckKind kind, boolean healthy) {
        series(namespace, instance).health(task, kind).set(healthy ? 1 : 0);
    }

    /** The task's checks no longer run (it is not running): its health series read 0. */
    public void notRunning(String namespace, String instance, String task) {
        InstanceSeries s = instances.get(namespace + "/" + instance);
        if (s == null) return;
        s.health.forEach((key, value) -> { if (key.startsWith(task + "\0")) value.set(0); });
    }

    /** The task was restarted {@code restarts} times so far (the counter never goes down). */
    public void restarts(String namespace, String instance, String task, int restarts) {
        series(namespace, instance).restarts(task).accumulateAndGet(restarts, Math::max);
    }

    public void checkRan(CheckKind kind, Duration took) {
        checkTimers.get(kind).record(took);
    }

    /** The instance stopped or left this node: its series go. */
    public void forget(String namespace, String instance) {
        lock.lock();
        try {
            InstanceSeries s = instances.remove(namespace + "/" + instance);
            if (s != null) s.meters.forEach(registry::remove);
        } finally {
            lock.unlock();
        }
    }

    /** Everything, in the Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    private InstanceSeries series(String namespace, String instance) {
        lock.lock();
        try {
            return instances.computeIfAbsent(namespace + "/" + instance, k -> new InstanceSeries(namespace, instance));
        } finally {
            lock.unlock();
        }
    }

    private static String check(CheckKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** The series of one instance and the meters to remove with it. */
    private final class InstanceSeries {
        private final Tags tags;
        private final Map<String, AtomicInteger> health = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> restarts = new ConcurrentHashMap<>();
        private final List<Meter> meters = new ArrayList<>();

        InstanceSeries(String namespace, String instance) {
            this.tags = Tags.of("namespace", namespace, "instance", instance);
        }

        AtomicInteger health(String task, CheckKind kind) {
            return health.computeIfAbsent(task + "\0" + check(kind), k -> register(value -> Gauge
                    .builder("wharf.task.health", value, AtomicInteger::get)
                    .description("1 while the task's check passes, else 0")
                    .tags(tags).tag("task", task).tag("check", check(kind))
                    .register(registry)));
        }

        AtomicInteger restarts(String task) {
            return restarts.computeIfAbsent(task, k -> register(value -> FunctionCounter
                    .builder("wharf.task.restarts", value, AtomicInteger::get)
                    .description("Restarts of the task by this agent")
                    .tags(tags).tag("task", task)
                    .register(registry)));
        }

        private AtomicInteger register(java.util.function.Function<AtomicInteger, Meter> meter) {
            var value = new AtomicInteger();
            lock.lock();
            try {
                meters.add(meter.apply(value));
            } finally {
                lock.unlock();
            }
            return value;
        }
    }
}
