package io.wharf.agent.driver;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The stop sequence every driver follows: send the task's stop signal, wait up to the grace
 * period for it to exit, then send {@code KILL} and wait for the exit. Drivers differ only in how
 * a signal is delivered (a process group, a container), which they pass in.
 */
public final class GracefulStop {
    private GracefulStop() {}

    /**
     * Stops the task whose exit is {@code exit}: nothing when it already ended; otherwise
     * {@code signal.accept(stopSignal)}, then {@code beforeKill} and {@code signal.accept("KILL")}
     * when the grace period passes. Returns when the task has exited (or the caller is interrupted).
     */
    public static void stop(CompletableFuture<ExitResult> exit, String stopSignal, Duration grace,
                            Consumer<String> signal, Runnable beforeKill) {
        if (exit.isDone()) return;
        signal.accept(stopSignal);
        try {
            exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            // grace is over: kill below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            return;
        }
        beforeKill.run();
        signal.accept("KILL");
        exit.join();
    }
}
