package io.wharf.agent.driver.sim;

import io.wharf.agent.driver.Driver;
import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.ExecResult;
import io.wharf.agent.driver.ExitResult;
import io.wharf.agent.driver.Fingerprint;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.driver.TaskStats;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Simulated tasks: {@link #start} records the task and returns at once; it "runs" until
 * {@link #stop} or {@link #destroy} (exit 143, as a process stopped by SIGTERM) or, with
 * {@code failAfter}, exits with code 1 that long after its start. Nothing survives the driver:
 * {@link #recover} finds only tasks this very driver started (a new agent process starts afresh).
 * {@code exec} answers without running anything; stats are zero.
 *
 * <p>The driver is named {@value #NAME} and always fingerprints as available; the agent registers
 * it only when asked to (see {@link #enabled}), so production nodes never offer it by accident.
 *
 * <p>Thread safety: safe for many threads; tasks live in a concurrent map.
 */
public final class SimDriver implements Driver {
    public static final String NAME = "sim";
    /** System property that makes {@code wharf agent} register this driver: {@code -Dwharf.agent.sim=true}. */
    public static final String ENABLE_PROPERTY = "wharf.agent.sim";
    /** Environment variable with the same effect: {@code WHARF_AGENT_SIM=true}. */
    public static final String ENABLE_ENV = "WHARF_AGENT_SIM";

    private final InstantSource clock;
    private final Map<TaskId, Running> tasks = new ConcurrentHashMap<>();

    private record Running(TaskHandle handle, CompletableFuture<ExitResult> exit) {}

    public SimDriver(InstantSource clock) {
        this.clock = clock;
    }

    /** Whether the agent should offer the sim driver: the system property or environment variable is "true". */
    public static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(ENABLE_PROPERTY, System.getenv().getOrDefault(ENABLE_ENV, "false")));
    }

    @Override public String name() { return NAME; }

    @Override public Fingerprint fingerprint() {
        return Fingerprint.available(NAME, Map.of("simulated", "true"));
    }

    @Override
    public StartResult start(TaskConfig config) {
        if (!(config.settings() instanceof DriverSettings.Sim sim)) {
            return new StartResult.Rejected("the sim driver runs sim tasks, got " + config.settings().driver());
        }
        TaskHandle handle = new TaskHandle(NAME, config.id(), clock.instant(), Map.of());
        CompletableFuture<ExitResult> exit = new CompletableFuture<>();
        Running previous = tasks.put(config.id(), new Running(handle, exit));
        if (previous != null) {
            previous.exit().complete(ExitResult.of(137, clock.instant()));
        }
        if (sim.failAfter() != null) {
            CompletableFuture.delayedExecutor(sim.failAfter().toMillis(), TimeUnit.MILLISECONDS,
                    r -> Thread.ofVirtual().start(r)).execute(() -> exit.complete(
                    new ExitResult(1, false, "simulated failure after " + sim.failAfter().toMillis() + " ms", clock.instant())));
        }
        return new StartResult.Started(handle);
    }

    @Override
    public Optional<TaskHandle> recover(TaskHandle handle) {
        Running r = tasks.get(handle.task());
        return r != null && !r.exit().isDone() && r.handle().equals(handle) ? Optional.of(r.handle()) : Optional.empty();
    }

    @Override
    public CompletableFuture<ExitResult> wait(TaskHandle handle) {
        Running r = tasks.get(handle.task());
        if (r == null || !r.handle().equals(handle)) {
            return CompletableFuture.completedFuture(new ExitResult(-1, false, "simulated task is gone", clock.instant()));
        }
        return r.exit().copy();
    }

    @Override
    public void stop(TaskHandle handle, Duration grace) {
        Running r = tasks.get(handle.task());
        if (r != null && r.handle().equals(handle)) {
            r.exit().complete(ExitResult.of(143, clock.instant()));
        }
    }

    @Override
    public void destroy(TaskHandle handle) {
        Running r = tasks.get(handle.task());
        if (r != null && r.handle().equals(handle)) {
            r.exit().complete(ExitResult.of(137, clock.instant()));
            tasks.remove(handle.task(), r);
        }
    }

    @Override
    public Optional<TaskStats> stats(TaskHandle handle) {
        Running r = tasks.get(handle.task());
        return r == null || r.exit().isDone() ? Optional.empty() : Optional.of(new TaskStats(0, 0, 0));
    }

    @Override
    public ExecResult exec(TaskHandle handle, List<String> command, Duration timeout) {
        return new ExecResult(0, "");
    }

    /** How many simulated tasks run now. */
    public int running() {
        return (int) tasks.values().stream().filter(r -> !r.exit().isDone()).count();
    }

    @Override
    public void close() {}
}
