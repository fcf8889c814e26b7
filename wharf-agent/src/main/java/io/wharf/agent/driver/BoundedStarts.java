package io.wharf.agent.driver;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * A driver whose {@link #start}s share a node-wide bound: at most {@code permits} task starts
 * run at once across every driver wrapped with the same {@link Semaphore}. Each instance has its
 * own runner thread, so fifty instances placed at once would otherwise hit the Docker Engine with
 * fifty creates and starts together; a few at a time keeps the daemon (and the node's CPUs)
 * responsive and the first tasks up sooner, with the same total throughput.
 *
 * <p>Only {@code start} is bounded: recovering, stopping and destroying stay immediate (an agent
 * adopting its tasks, or a stop, never waits behind new starts). The order of the tasks of one
 * instance is the instance runner's business and is unchanged: a runner starts its next task
 * only after the previous start returned.
 *
 * <p>Thread safety: as the wrapped driver's; the semaphore is fair, so starts run in arrival order.
 */
public final class BoundedStarts implements Driver {
    /** Starts at once when the agent's settings say nothing: friendly to a Docker Engine on a small node. */
    public static final int DEFAULT_PARALLELISM = 8;

    private final Driver driver;
    private final Semaphore permits;

    public BoundedStarts(Driver driver, Semaphore permits) {
        this.driver = driver;
        this.permits = permits;
    }

    /** Wraps every driver of a node with one shared bound of {@code parallelism} starts at once. */
    public static Map<String, Driver> all(Map<String, Driver> drivers, int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("start parallelism must be at least 1, got " + parallelism);
        var shared = new Semaphore(parallelism, true);
        var out = new LinkedHashMap<String, Driver>();
        drivers.forEach((name, d) -> out.put(name, new BoundedStarts(d, shared)));
        return out;
    }

    /** The driver this one bounds. */
    public Driver unwrap() { return driver; }

    @Override public String name() { return driver.name(); }

    @Override public Fingerprint fingerprint() { return driver.fingerprint(); }

    @Override
    public StartResult start(TaskConfig config) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StartResult.Failed("interrupted while waiting for a start slot");
        }
        try {
            return driver.start(config);
        } finally {
            permits.release();
        }
    }

    @Override public Optional<TaskHandle> recover(TaskHandle handle) { return driver.recover(handle); }

    @Override public CompletableFuture<ExitResult> wait(TaskHandle handle) { return driver.wait(handle); }

    @Override public void stop(TaskHandle handle, Duration grace) { driver.stop(handle, grace); }

    @Override public void destroy(TaskHandle handle) { driver.destroy(handle); }

    @Override public Optional<TaskStats> stats(TaskHandle handle) { return driver.stats(handle); }

    @Override public ExecResult exec(TaskHandle handle, List<String> command, Duration timeout) {
        return driver.exec(handle, command, timeout);
    }

    @Override public void close() { driver.close(); }
}
