package io.wharf.agent.driver;

import java.util.Objects;

/** A command run inside a task: its exit code and combined stdout and stderr (cut at a limit). */
public record ExecResult(int exitCode, String output) {
    public ExecResult {
        Objects.requireNonNull(output, "output");
    }
}
