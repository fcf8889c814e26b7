package io.wharf.agent.driver;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A working in-memory driver: a started task "runs" until the test ends it with {@link #exit} or
 * a stop; the next start results can be scripted ({@link #failNextStart}) to act out a daemon
 * that is briefly unreachable. Thread safe.
 */
public final class FakeDriver implements Driver {
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<StartResult> scripted = new ArrayDeque<>();
    private final Map<String, CompletableFuture<ExitResult>> running = new ConcurrentHashMap<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger inStart = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private volatile CompletableFuture<Void> startsHeld = CompletableFuture.completedFuture(null);

    @Override public String name() { return "fake"; }

    @Override public Fingerprint fingerprint() { return Fingerprint.available("fake", Map.of()); }

    /** The next start answers {@code Failed(reason)} instead of starting. */
    public void failNextStart(String reason) {
        lock.lock();
        try {
            scripted.add(new StartResult.Failed(reason));
        } finally {
            lock.unlock();
        }
    }

    public int starts() { return starts.get(); }

    /** Starts block (inside the driver) until {@link #releaseStarts}: a slow daemon. */
    public void holdStarts() { startsHeld = new CompletableFuture<>(); }

    public void releaseStarts() { startsHeld.complete(null); }

    /** Starts inside the driver now (held ones included). */
    public int startsInProgress() { return inStart.get(); }

    /** The most starts that were inside the driver at the same time. */
    public int mostStartsAtOnce() { return mostAtOnce.get(); }

    @Override
    public StartResult start(TaskConfig config) {
        mostAtOnce.accumulateAndGet(inStart.incrementAndGet(), Math::max);
        try {
            startsHeld.join();
            return startNow(config);
        } finally {
            inStart.decrementAndGet();
        }
    }

    private StartResult startNow(TaskConfig config) {
        starts.incrementAndGet();
        lock.lock();
        try {
            if (!scripted.isEmpty()) return scripted.poll();
        } finally {
            lock.unlock();
        }
        String run = config.id() + "#" + starts.get();
        running.put(run, new CompletableFuture<>());
        return new StartResult.Started(new TaskHandle("fake", config.id(), Instant.now(), Map.of("run", run)));
    }

    /** Ends the task's run with {@code code}, as if the process exited. */
    public void exit(TaskHandle handle, int code) {
        running.get(handle.attribute("run")).complete(ExitResult.of(code, Instant.now()));
    }

    @Override
    public Optional<TaskHandle> recover(TaskHandle handle) {
        var f = running.get(handle.attribute("run"));
        return f != null && !f.isDone() ? Optional.of(handle) : Optional.empty();
    }

    @Override public CompletableFuture<ExitResult> wait(TaskHandle handle) { return running.get(handle.attribute("run")); }

    @Override public void stop(TaskHandle handle, Duration grace) { exit(handle, 143); }

    @Override public void destroy(TaskHandle handle) {
        var f = running.get(handle.attribute("run"));
        if (f != null) f.complete(ExitResult.of(137, Instant.now()));
    }

    @Override public Optional<TaskStats> stats(TaskHandle handle) {
        return recover(handle).map(h -> new TaskStats(0, 0, 1));
    }

    @Override public ExecResult exec(TaskHandle handle, List<String> command, Duration timeout) {
        return new ExecResult(0, "");
    }

    @Override public void close() {}
}
