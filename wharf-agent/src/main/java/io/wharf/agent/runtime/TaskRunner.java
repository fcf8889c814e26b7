package io.wharf.agent.runtime;

import io.wharf.agent.driver.Driver;
import io.wharf.agent.driver.ExitResult;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.health.CheckKind;
import io.wharf.agent.health.CheckRunner;
import io.wharf.agent.health.CheckSettings;
import io.wharf.agent.health.HealthMonitor;
import io.wharf.agent.health.HealthState;
import io.wharf.agent.health.HealthTransition;
import io.wharf.agent.restart.Exit;
import io.wharf.agent.restart.RestartDecision;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one task running: starts it through its driver, watches it exit or fail its liveness
 * check, asks the restart policy what to do and waits out the backoff, until the task completes,
 * fails for good or is stopped. A start the driver rejects (bad configuration) fails the task at
 * once: it is never retried.
 *
 * <p>Concurrency: one virtual thread per runner runs the whole loop; {@link #stop} may be called
 * from any thread and returns once the task is down. Events reach the listener from the runner's
 * thread (and health transitions from the health monitors' threads).
 */
public final class TaskRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final Driver driver;
    private final TaskPlan plan;
    private final InstantSource clock;
    private final TaskListener listener;
    private final TaskHandle recovered;
    private final CompletableFuture<Duration> stopRequested = new CompletableFuture<>();
    /** Set when a closing agent lets go of the task: it keeps running for the next agent to adopt. */
    private final CompletableFuture<Void> detached = new CompletableFuture<>();
    private static final Exit DETACHED = new Exit(java.time.Instant.EPOCH, false, "agent let go of the task");
    private final CompletableFuture<TaskEvent> finished = new CompletableFuture<>();
    private final List<Exit> exits = new ArrayList<>();
    private volatile TaskEvent last;
    private Integer lastExitCode; // only the runner's thread touches it
    private int restarted; // starts after the first run; only the runner's thread touches it
    private volatile HealthState readiness = HealthState.UNKNOWN;
    private Thread thread;

    /**
     * @param recovered a handle persisted by an earlier agent: the runner adopts that task if it
     *     still runs instead of starting a new one; null to start fresh
     */
    public TaskRunner(Driver driver, TaskPlan plan, InstantSource clock, TaskListener listener, TaskHandle recovered) {
        this.driver = driver;
        this.plan = plan;
        this.clock = clock;
        this.listener = listener;
        this.recovered = recovered;
        this.last = new TaskEvent(plan.config().id(), TaskState.PENDING, "not started", 0, null, null, clock.instant());
    }

    public TaskRunner start() {
        thread = Thread.ofVirtual().name("task-" + plan.config().id()).start(this::run);
        return this;
    }

    public TaskId id() { return plan.config().id(); }

    public TaskPlan plan() { return plan; }

    /** The latest event. */
    public TaskEvent status() { return last; }

    /** The readiness check's state; UNKNOWN when the task has none or is not running. */
    public HealthState readiness() { return readiness; }

    /** Whether traffic may go to the task: it runs and its readiness check (if it has one) passes. */
    public boolean ready() {
        boolean hasReadiness = plan.checks().stream().anyMatch(c -> c.kind() == CheckKind.READINESS);
        return last.state() == TaskState.RUNNING && (!hasReadiness || readiness == HealthState.HEALTHY);
    }

    /** Completes with the final event (COMPLETED, FAILED or STOPPED). */
    public CompletableFuture<TaskEvent> finished() { return finished; }

    /** Stops the task (its stop signal, then kill after {@code grace}) and waits until the runner is done. */
    public TaskEvent stop(Duration grace) {
        stopRequested.complete(grace);
        if (detached.isDone()) return last; // not ours to stop any more
        return finished.join();
    }

    /**
     * Lets go of the task without stopping it (an agent closing for a restart): the runner stops
     * watching, restarting and reporting, and leaves the workload running for the next agent to adopt.
     * {@link #finished()} never completes after this.
     */
    public void detach() {
        detached.complete(null);
    }

    /** Stops with the task's configured grace period. */
    @Override
    public void close() {
        if (thread != null) stop(plan.config().stopGrace());
    }

    private void run() {
        try {
            loop();
        } catch (RuntimeException e) {
            log.warn("task {} runner failed", id(), e);
            emit(TaskState.FAILED, "agent error: " + e, null);
        }
    }

    private void loop() {
        TaskHandle handle = null;
        if (recovered != null) {
            Optional<TaskHandle> again = driver.recover(recovered);
            if (again.isPresent()) {
                handle = again.get();
                emit(TaskState.RUNNING, "recovered after agent restart", handle);
            } else {
                driver.destroy(recovered); // whatever is left of it (a stopped container, state files)
                exits.add(new Exit(clock.instant(), false, "ended while the agent was away"));
                if (!decideAndWait()) return;
            }
        }
        while (true) {
            if (detached.isDone()) return;
            if (stopRequested.isDone()) {
                emit(TaskState.STOPPED, "stopped before start", null);
                return;
            }
            if (handle == null) {
                if (!exits.isEmpty()) restarted++;
                emit(TaskState.STARTING, exits.isEmpty() ? "starting" : "restarting after " + exits.getLast().description(), null);
                StartResult started = driver.start(plan.config());
                switch (started) {
                    case StartResult.Rejected r -> {
                        emit(TaskState.FAILED, r.reason(), null);
                        return;
                    }
                    case StartResult.Failed f -> {
                        exits.add(new Exit(clock.instant(), false, "start failed: " + f.reason()));
                        if (!decideAndWait()) return;
                        continue;
                    }
                    case StartResult.Started s -> {
                        handle = s.handle();
                        emit(TaskState.RUNNING, "started", handle);
                    }
                }
            }
            Exit exit = watch(handle);
            if (exit == DETACHED) return;
            driver.destroy(handle);
            handle = null;
            if (exit == null) {
                emit(TaskState.STOPPED, "stopped", null);
                return;
            }
            exits.add(exit);
            if (!decideAndWait()) return;
        }
    }

    /** Waits for the run to end; the exit, or null when it ended because a stop was requested. */
    private Exit watch(TaskHandle handle) {
        var livenessFailed = new CompletableFuture<HealthTransition>();
        List<HealthMonitor> monitors = new ArrayList<>();
        var checks = new CheckRunner((cmd, timeout) -> driver.exec(handle, cmd, timeout));
        for (CheckSettings c : plan.checks()) {
            monitors.add(new HealthMonitor(c, checks, clock, handle.startedAt(), t -> {
                listener.onHealth(id(), t);
                if (t.kind() == CheckKind.READINESS) readiness = t.to();
                if (t.kind() == CheckKind.LIVENESS && t.to() == HealthState.UNHEALTHY) livenessFailed.complete(t);
            }, (result, took) -> listener.onCheck(id(), c.kind(), result, took)));
        }
        try {
            CompletableFuture<ExitResult> exited = driver.wait(handle);
            CompletableFuture.anyOf(exited, livenessFailed, stopRequested, detached).join();
            if (detached.isDone() && !stopRequested.isDone()) return DETACHED;
            if (stopRequested.isDone() && !exited.isDone()) {
                driver.stop(handle, stopRequested.join());
                return null;
            }
            if (livenessFailed.isDone() && !exited.isDone()) {
                driver.stop(handle, plan.config().stopGrace());
                return new Exit(clock.instant(), false, "liveness check failed: " + livenessFailed.join().message());
            }
            ExitResult r = exited.join();
            lastExitCode = r.exitCode() < 0 ? null : r.exitCode();
            if (stopRequested.isDone()) return null;
            return new Exit(r.at(), r.successful(), r.message());
        } finally {
            monitors.forEach(HealthMonitor::close);
            readiness = HealthState.UNKNOWN;
        }
    }

    /** Applies the restart policy to the last exit; true to run again, false when the runner is done. */
    private boolean decideAndWait() {
        RestartDecision d = plan.restart().decide(exits, clock.instant());
        switch (d) {
            case RestartDecision.Done done -> {
                emit(TaskState.COMPLETED, exits.getLast().description(), null);
                return false;
            }
            case RestartDecision.GiveUp g -> {
                emit(TaskState.FAILED, g.reason(), null);
                return false;
            }
            case RestartDecision.Restart r -> {
                emit(TaskState.RESTARTING, exits.getLast().description() + "; restarting in " + r.delay().toMillis() + "ms", null);
                try {
                    CompletableFuture.anyOf(stopRequested, detached).get(r.delay().toMillis(), TimeUnit.MILLISECONDS);
                    emit(TaskState.STOPPED, "stopped while waiting to restart", null);
                    return false;
                } catch (TimeoutException e) {
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    emit(TaskState.STOPPED, "interrupted", null);
                    return false;
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** How often the task was started again after a run ended (a start the policy refused is not one). */
    private int restarts() {
        return restarted;
    }

    private void emit(TaskState state, String reason, TaskHandle handle) {
        if (detached.isDone()) return; // nobody listens any more
        var event = new TaskEvent(id(), state, reason, restarts(), handle, lastExitCode, clock.instant());
        last = event;
        try {
            listener.onTaskEvent(event);
        } catch (RuntimeException e) {
            log.warn("task listener failed on {}", event, e);
        }
        if (state.terminal()) finished.complete(event);
    }
}
