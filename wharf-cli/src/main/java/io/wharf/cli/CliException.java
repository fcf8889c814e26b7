package io.wharf.cli;

import java.util.List;
import java.util.Objects;

/**
 * A command failed in a way the user should read: printed as {@code error: message} followed
 * by the detail lines (indented), and the process exits with {@code exitCode}.
 */
public final class CliException extends RuntimeException {

  private final ExitCode exitCode;
  private final List<String> details;

  public CliException(ExitCode exitCode, String message, List<String> details) {
    super(message);
    this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
    this.details = List.copyOf(details);
  }

  public CliException(ExitCode exitCode, String message) {
    this(exitCode, message, List.of());
  }

  public static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  public List<String> details() {
    return details;
  }
}
