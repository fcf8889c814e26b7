package io.wharf.agent.driver;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Stands in for a driver this node does not have: every start is rejected with {@code reason},
 * so a task asking for it fails with a clear message instead of an exception.
 */
public final class RejectingDriver implements Driver {
    private final String name;
    private final String reason;

    public RejectingDriver(String name, String reason) {
        this.name = name;
        this.reason = reason;
    }

    @Override public String name() { return name; }

    @Override public Fingerprint fingerprint() { return Fingerprint.unavailable(name, reason); }

    @Override public StartResult start(TaskConfig config) { return new StartResult.Rejected(reason); }

    @Override public Optional<TaskHandle> recover(TaskHandle handle) { return Optional.empty(); }

    @Override public CompletableFuture<ExitResult> wait(TaskHandle handle) {
        throw new IllegalStateException(name + " never started a task");
    }

    @Override public void stop(TaskHandle handle, Duration grace) {}

    @Override public void destroy(TaskHandle handle) {}

    @Override public Optional<TaskStats> stats(TaskHandle handle) { return Optional.empty(); }

    @Override public ExecResult exec(TaskHandle handle, List<String> command, Duration timeout) {
        throw new IllegalStateException(name + " never started a task");
    }

    @Override public void close() {}
}
