package io.wharf.agent.health;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs one check of one task on a virtual thread every interval, feeds the results to a
 * {@link HealthTracker} and hands each transition to {@code listener} (on the monitor's thread).
 * The clock is injectable so start periods and timestamps follow the agent's clock.
 *
 * <p>Thread safety: {@link #state} and {@link #close} may be called from any thread.
 */
public final class HealthMonitor implements AutoCloseable {
    private final CheckSettings settings;
    private final CheckRunner runner;
    private final InstantSource clock;
    private final Consumer<HealthTransition> listener;
    private final BiConsumer<CheckResult, Duration> ran;
    private final Thread thread;
    private volatile HealthTracker tracker;
    private volatile CheckResult lastResult;
    private volatile boolean closed;

    public HealthMonitor(CheckSettings settings, CheckRunner runner, InstantSource clock, Instant taskStarted,
                         Consumer<HealthTransition> listener) {
        this(settings, runner, clock, taskStarted, listener, (result, took) -> {});
    }

    /** @param ran hears every check run with how long it took (on the monitor's thread) */
    public HealthMonitor(CheckSettings settings, CheckRunner runner, InstantSource clock, Instant taskStarted,
                         Consumer<HealthTransition> listener, BiConsumer<CheckResult, Duration> ran) {
        this.ran = ran;
        this.settings = settings;
        this.runner = runner;
        this.clock = clock;
        this.listener = listener;
        this.tracker = HealthTracker.start(settings, taskStarted);
        this.thread = Thread.ofVirtual().name("health-" + settings.kind()).start(this::loop);
    }

    public HealthState state() { return tracker.state(); }

    public CheckKind kind() { return settings.kind(); }

    /** The last result, or null before the first check ran. */
    public CheckResult lastResult() { return lastResult; }

    private void loop() {
        while (!closed) {
            long began = System.nanoTime();
            CheckResult result = runner.run(settings.check(), settings.timeout());
            if (closed) return;
            ran.accept(result, Duration.ofNanos(System.nanoTime() - began));
            lastResult = result;
            HealthTracker.Step step = tracker.observe(result, clock.instant());
            tracker = step.tracker();
            step.transition().ifPresent(listener);
            pause(settings.interval());
        }
    }

    private void pause(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (!closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(settings.timeout().plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
