package io.wharf.agent.node;

import io.wharf.agent.driver.TaskId;
import io.wharf.agent.health.CheckKind;
import io.wharf.agent.health.CheckResult;
import io.wharf.agent.metrics.AgentMetrics;
import io.wharf.agent.health.HealthState;
import io.wharf.agent.health.HealthTransition;
import io.wharf.agent.runtime.InstanceEvent;
import io.wharf.agent.runtime.InstanceListener;
import io.wharf.agent.runtime.TaskEvent;
import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Turns what the runner of one instance reports (instance and task events, health transitions)
 * into the instance's {@link InstanceStatus}, and keeps the persisted task handles in step:
 * a running task's handle is saved, a task that ended has its handle removed.
 *
 * <p>Restarts continue from {@code baseRestarts} (what the server had when this agent adopted
 * the instance), so a restarted agent does not reset the count.
 *
 * <p>Thread safety: runner threads and health monitors call in concurrently; one lock orders
 * the status computation, and each new status goes to {@code sink} under it.
 */
final class InstanceTracker implements InstanceListener {
    private final InstanceKey key;
    private final String address;
    private final HandleStore handles;
    private final Consumer<InstanceStatus> sink;
    private final int baseRestarts;
    private final String mainTask;
    private final boolean hasReadiness;
    private final AgentMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
    private final Map<String, HealthState> readiness = new ConcurrentHashMap<>();
    private final Map<String, HealthState> liveness = new ConcurrentHashMap<>();
    private io.wharf.agent.runtime.InstanceState runtimeState = io.wharf.agent.runtime.InstanceState.PENDING;
    private String reason;
    private Integer mainExitCode;
    private Instant startedAt;
    private Instant finishedAt;
    private InstanceStatus last;

    InstanceTracker(InstanceKey key, String address, HandleStore handles, InstanceStatus previous, String mainTask,
                    boolean hasReadiness, AgentMetrics metrics, Consumer<InstanceStatus> sink) {
        this.metrics = metrics;
        this.key = key;
        this.address = address;
        this.handles = handles;
        this.sink = sink;
        this.baseRestarts = previous == null ? 0 : previous.restarts();
        this.startedAt = previous == null ? null : previous.startedAt();
        this.mainTask = mainTask;
        this.hasReadiness = hasReadiness;
    }

    @Override
    public void onTaskEvent(TaskEvent event) {
        if (event.handle() != null) {
            handles.saveHandle(key, event.handle());
        } else if (event.state().terminal()) {
            handles.removeHandle(key, event.task().task());
        }
        restarts.merge(event.task().task(), event.restarts(), Math::max);
        metrics.restarts(key.namespace(), key.name(), event.task().task(), event.restarts());
        if (event.task().task().equals(mainTask) && event.exitCode() != null) {
            lock.lock();
            try {
                mainExitCode = event.exitCode();
            } finally {
                lock.unlock();
            }
        }
        if (event.state() != io.wharf.agent.runtime.TaskState.RUNNING) {
            // A task that is not running has no health until its checks pass again.
            readiness.remove(event.task().task());
            liveness.remove(event.task().task());
            metrics.notRunning(key.namespace(), key.name(), event.task().task());
        }
        publish();
    }

    @Override
    public void onHealth(TaskId task, HealthTransition transition) {
        (transition.kind() == CheckKind.READINESS ? readiness : liveness).put(task.task(), transition.to());
        metrics.health(key.namespace(), key.name(), task.task(), transition.kind(), transition.to() == HealthState.HEALTHY);
        publish();
    }

    @Override
    public void onCheck(TaskId task, CheckKind kind, CheckResult result, Duration took) {
        metrics.checkRan(kind, took);
    }

    @Override
    public void onInstanceEvent(InstanceEvent event) {
        lock.lock();
        try {
            runtimeState = event.state();
            reason = event.reason();
            if (event.state() == io.wharf.agent.runtime.InstanceState.RUNNING && startedAt == null) startedAt = event.at();
            if (event.state().terminal()) finishedAt = event.at();
        } finally {
            lock.unlock();
        }
        publish();
    }

    /** The status as of now. */
    InstanceStatus status() {
        lock.lock();
        try {
            return compute();
        } finally {
            lock.unlock();
        }
    }

    private void publish() {
        lock.lock();
        try {
            InstanceStatus now = compute();
            if (!now.equals(last)) {
                last = now;
                sink.accept(now);
            }
        } finally {
            lock.unlock();
        }
    }

    private InstanceStatus compute() {
        InstanceState state = switch (runtimeState) {
            case PENDING -> InstanceState.PENDING;
            case PRESTART -> InstanceState.STARTING;
            case RUNNING, STOPPING -> InstanceState.RUNNING;
            case COMPLETED -> InstanceState.COMPLETED;
            case FAILED -> InstanceState.FAILED;
            case STOPPED -> InstanceState.STOPPED;
        };
        int total = baseRestarts + restarts.values().stream().mapToInt(Integer::intValue).sum();
        String exitReason = state.terminal() ? reason : null;
        // The main task's last exit: how a completed or failed instance ended. A stopped one was
        // ended by us, so its exit status says nothing about the workload.
        Integer exitCode = state == InstanceState.COMPLETED || state == InstanceState.FAILED ? mainExitCode : null;
        return new InstanceStatus(state, health(state), total, exitCode, exitReason, address,
                startedAt, state.terminal() ? finishedAt : null);
    }

    /** Readiness of the main task when it has a readiness check, else its liveness, else unknown. */
    private Health health(InstanceState state) {
        if (state != InstanceState.RUNNING) return Health.UNKNOWN;
        HealthState h = hasReadiness ? readiness.get(mainTask) : liveness.get(mainTask);
        if (h == null) return Health.UNKNOWN;
        return switch (h) {
            case HEALTHY -> Health.HEALTHY;
            case UNHEALTHY -> Health.UNHEALTHY;
            default -> Health.UNKNOWN;
        };
    }
}
