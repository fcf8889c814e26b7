package io.wharf.agent.driver;

import java.time.Instant;
import java.util.Objects;

/**
 * How a task ended. {@code exitCode} is the process's status (128+n when killed by signal n, as
 * shells report it; -1 when unknown); {@code oomKilled} when the memory limit killed it.
 */
public record ExitResult(int exitCode, boolean oomKilled, String message, Instant at) {
    public ExitResult {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }

    public static ExitResult of(int exitCode, Instant at) {
        return new ExitResult(exitCode, false, describe(exitCode, false), at);
    }

    public boolean successful() { return exitCode == 0 && !oomKilled; }

    public static String describe(int exitCode, boolean oom) {
        if (oom) return "killed: out of memory (exit code " + exitCode + ")";
        if (exitCode < 0) return "exited (status unknown)";
        if (exitCode > 128 && exitCode < 160) return "killed by signal " + (exitCode - 128) + " (exit code " + exitCode + ")";
        return "exited with code " + exitCode;
    }
}
