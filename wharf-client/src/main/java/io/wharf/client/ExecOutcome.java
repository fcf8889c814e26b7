package io.wharf.client;

import java.util.Objects;

/** A command run in a task through {@code exec}: its exit code and combined output. */
public record ExecOutcome(int exitCode, String output) {

  public ExecOutcome {
    Objects.requireNonNull(output, "output");
  }
}
