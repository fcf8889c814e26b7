package io.wharf.agent.driver;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs tasks of one kind (DESIGN §4). The agent holds one driver per kind for its lifetime; a
 * new agent process makes new drivers and {@link #recover}s the handles it persisted.
 *
 * <p>Contract: all methods are thread safe. {@link #start} returns once the task runs (or
 * could not be started); the task's stdout and stderr go to the driver's
 * {@link io.wharf.agent.logs.TaskLogStore}. {@link #wait} never fails for a task that ran: its
 * future completes with the exit, however the task ended (crash, stop, kill from outside).
 * {@link #stop} and {@link #destroy} are idempotent and safe on a task that already exited.
 */
public interface Driver extends AutoCloseable {
    /** process, java or docker: the {@code driver} field of task specs. */
    String name();

    Fingerprint fingerprint();

    StartResult start(TaskConfig config);

    /**
     * Reattaches to a task started earlier, maybe by another agent process: the handle's task
     * if it still runs (the very same process or container, never a new one), else empty.
     */
    Optional<TaskHandle> recover(TaskHandle handle);

    /** Completes when the task exits. */
    CompletableFuture<ExitResult> wait(TaskHandle handle);

    /**
     * Sends the task's stop signal, waits up to {@code grace} for it to exit, then kills it. Returns
     * when it has exited.
     */
    void stop(TaskHandle handle, Duration grace);

    /** Kills the task if it still runs and frees everything the driver holds for it (container, files). */
    void destroy(TaskHandle handle);

    /** Resource use now; empty when the task no longer runs. */
    Optional<TaskStats> stats(TaskHandle handle);

    /** Runs {@code command} inside the task's environment (container, working dir, env) and waits for it. */
    ExecResult exec(TaskHandle handle, List<String> command, Duration timeout);

    /** Releases the driver's own resources (event streams, clients); tasks keep running. */
    @Override
    void close();
}
