package io.wharf.agent.runtime;

import io.wharf.agent.driver.Driver;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.model.task.TaskLifecycle;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of one instance in lifecycle order: each prestart task to completion (one that
 * fails fails the instance), then the sidecars and the main task side by side. When the main
 * task ends (or a sidecar fails for good, or a stop is asked for) the main task is stopped first,
 * then the sidecars, then the poststop tasks run to completion.
 *
 * <p>An instance given handles of tasks an earlier agent started is adopted: prestart tasks are
 * not run again, and each task with a handle is recovered rather than started anew.
 *
 * <p>Concurrency: one virtual thread drives the instance; each task has its own
 * {@link TaskRunner}. {@link #stop} may be called from any thread and returns when the instance
 * is down, poststop tasks included.
 */
public final class InstanceRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceRunner.class);

    private final String instance;
    private final List<TaskPlan> plans;
    private final Function<String, Driver> drivers;
    private final InstantSource clock;
    private final InstanceListener listener;
    private final Map<TaskId, TaskHandle> recovered;
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    private final CompletableFuture<InstanceEvent> finished = new CompletableFuture<>();
    /** Set when a closing agent lets go of the instance; see {@link #detach()}. */
    private final CompletableFuture<Void> detached = new CompletableFuture<>();
    private final List<TaskRunner> running = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile InstanceEvent last;
    private volatile boolean started;

    /**
     * @param drivers the driver for a driver name ({@code process}, {@code docker}, ...), null if none
     * @param recovered handles of tasks started by an earlier agent, to adopt instead of starting again
     */
    public InstanceRunner(String instance, List<TaskPlan> plans, Function<String, Driver> drivers, InstantSource clock,
                          InstanceListener listener, Map<TaskId, TaskHandle> recovered) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.plans = List.copyOf(plans);
        this.drivers = drivers;
        this.clock = clock;
        this.listener = listener;
        this.recovered = Map.copyOf(recovered == null ? Map.of() : recovered);
        long mains = plans.stream().filter(p -> p.lifecycle() == TaskLifecycle.MAIN).count();
        if (mains != 1) throw new IllegalArgumentException("instance " + instance + " needs exactly one main task, has " + mains);
        this.last = new InstanceEvent(instance, InstanceState.PENDING, "not started", clock.instant());
    }

    public InstanceRunner start() {
        started = true;
        Thread.ofVirtual().name("instance-" + instance).start(() -> {
            try {
                run();
            } catch (Detached e) {
                // let go of: the tasks keep running for the next agent
            } catch (RuntimeException e) {
                log.warn("instance {} runner failed", instance, e);
                emit(InstanceState.FAILED, "agent error: " + e);
            }
        });
        return this;
    }

    public InstanceEvent status() { return last; }

    public CompletableFuture<InstanceEvent> finished() { return finished; }

    /** The runners of the tasks running now (for status, exec and logs). */
    public List<TaskRunner> tasks() { return List.copyOf(running); }

    /** Stops the instance: main, then sidecars, then poststop tasks. Returns the final event. */
    public InstanceEvent stop() {
        stopRequested.complete(null);
        if (!started) emit(InstanceState.STOPPED, "stopped before start");
        if (detached.isDone()) return last; // not ours to stop any more
        return finished.join();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Lets go of the instance without stopping its tasks (an agent closing for a restart): no more
     * restarts, health checks, phases or events; the next agent adopts the tasks. {@link #finished()}
     * never completes after this.
     */
    public void detach() {
        detached.complete(null);
        for (TaskRunner r : running) r.detach();
    }

    /** Unwinds the runner thread of a detached instance. */
    private static final class Detached extends RuntimeException {
        Detached() {
            super("detached", null, false, false);
        }
    }

    private void throwIfDetached() {
        if (detached.isDone()) throw new Detached();
    }

    private void run() {
        // Adopting an instance an earlier agent started: its prestart tasks completed back then.
        List<TaskPlan> prestart = recovered.isEmpty() ? of(TaskLifecycle.PRESTART) : List.of();
        if (!prestart.isEmpty()) emit(InstanceState.PRESTART, "running prestart tasks");
        for (TaskPlan p : prestart) {
            TaskEvent end = runToCompletion(p);
            if (end.state() == TaskState.STOPPED) {
                emit(InstanceState.STOPPED, "stopped during prestart");
                return;
            }
            if (end.state() != TaskState.COMPLETED) {
                emit(InstanceState.FAILED, "prestart task " + p.config().id().task() + " failed: " + end.reason());
                return;
            }
        }
        if (stopRequested.isDone()) {
            emit(InstanceState.STOPPED, "stopped before start");
            return;
        }
        List<TaskRunner> sidecars = new ArrayList<>();
        for (TaskPlan p : of(TaskLifecycle.SIDECAR)) sidecars.add(launch(p));
        TaskRunner main = launch(of(TaskLifecycle.MAIN).getFirst());
        emit(InstanceState.RUNNING, "tasks started");

        var sidecarFailed = new CompletableFuture<TaskEvent>();
        for (TaskRunner s : sidecars) {
            s.finished().thenAccept(e -> { if (e.state() == TaskState.FAILED) sidecarFailed.complete(e); });
        }
        CompletableFuture.anyOf(main.finished(), sidecarFailed, stopRequested, detached).join();
        throwIfDetached();

        InstanceState outcome;
        String reason;
        if (main.finished().isDone() && !stopRequested.isDone()) {
            TaskEvent end = main.finished().join();
            outcome = end.state() == TaskState.COMPLETED ? InstanceState.COMPLETED : InstanceState.FAILED;
            reason = "main task " + end.task().task() + (outcome == InstanceState.COMPLETED ? " completed: " : " failed: ")
                    + end.reason();
        } else if (sidecarFailed.isDone() && !stopRequested.isDone()) {
            TaskEvent end = sidecarFailed.join();
            outcome = InstanceState.FAILED;
            reason = "sidecar task " + end.task().task() + " failed: " + end.reason();
        } else {
            outcome = InstanceState.STOPPED;
            reason = "stopped";
        }
        emit(InstanceState.STOPPING, reason);
        main.close();
        for (TaskRunner s : sidecars) s.close();
        for (TaskPlan p : of(TaskLifecycle.POSTSTOP)) {
            TaskEvent end = runToCompletion(p);
            if (end.state() != TaskState.COMPLETED) {
                log.warn("poststop task {} of {} did not complete: {}", p.config().id().task(), instance, end.reason());
            }
        }
        emit(outcome, reason);
    }

    private TaskEvent runToCompletion(TaskPlan p) {
        TaskRunner r = launch(p);
        // Prestart and poststop tasks are not stopped by an instance stop: poststop must run, and a
        // stop during prestart waits for the current prestart task to end with its own stop.
        if (p.lifecycle() == TaskLifecycle.PRESTART) {
            CompletableFuture.anyOf(r.finished(), stopRequested, detached).join();
            throwIfDetached();
            if (!r.finished().isDone()) return r.stop(p.config().stopGrace());
        }
        CompletableFuture.anyOf(r.finished(), detached).join();
        throwIfDetached();
        TaskEvent end = r.finished().join();
        running.remove(r);
        return end;
    }

    private TaskRunner launch(TaskPlan p) {
        Driver d = drivers.apply(p.config().settings().driver());
        if (d == null) {
            // An unknown driver behaves like any other rejected configuration.
            return failedRunner(p, "no " + p.config().settings().driver() + " driver on this node");
        }
        TaskRunner r = new TaskRunner(d, p, clock, listener, recovered.get(p.config().id()));
        running.add(r);
        if (detached.isDone()) r.detach(); // detach() may have iterated before the add
        return r.start();
    }

    private TaskRunner failedRunner(TaskPlan p, String reason) {
        var r = new TaskRunner(new io.wharf.agent.driver.RejectingDriver(p.config().settings().driver(), reason), p, clock,
                listener, null);
        running.add(r);
        return r.start();
    }

    private List<TaskPlan> of(TaskLifecycle lifecycle) {
        return plans.stream().filter(p -> p.lifecycle() == lifecycle).toList();
    }

    private void emit(InstanceState state, String reason) {
        if (detached.isDone()) return; // nobody listens any more
        var e = new InstanceEvent(instance, state, reason, clock.instant());
        last = e;
        try {
            listener.onInstanceEvent(e);
        } catch (RuntimeException ex) {
            log.warn("instance listener failed on {}", e, ex);
        }
        if (state.terminal()) finished.complete(e);
    }
}
