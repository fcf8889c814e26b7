package io.wharf.cli;

import io.wharf.client.ApiException;
import io.wharf.client.ApiProblem;
import io.wharf.client.ClientException;
import java.util.List;

/**
 * The one mapping from a failure to what the user sees (a message and detail lines) and to
 * the exit code. Pure: rendering and printing happen in {@link Main}.
 */
public final class Failures {

  /** What to print and how to exit. */
  public record Report(ExitCode exitCode, String message, List<String> details) {
  }

  private Failures() {
  }

  public static Report report(Throwable failure) {
    return switch (failure) {
      case CliException e -> new Report(e.exitCode(), e.getMessage(), e.details());
      case ApiException e when e.status() == 401 -> new Report(exitCode(e), "not authenticated: " + e.serverMessage(),
          List.of("give a token with --token or $WHARF_TOKEN (wharf token create makes one), or run the CLI "
              + "where wharf dev wrote $WHARF_HOME/credentials.json"));
      case ApiException e -> new Report(exitCode(e), e.serverMessage(),
          e.problems().stream().map(ApiProblem::toString).toList());
      case ClientException e -> new Report(ExitCode.ERROR, e.getMessage(), List.of());
      default -> new Report(ExitCode.ERROR, describe(failure), List.of());
    };
  }

  /**
   * Validation and unreadable input are the user's to fix (3); stale revisions and taken names
   * mean the state moved (4); everything else the server says is an error (1).
   */
  public static ExitCode exitCode(ApiException e) {
    return switch (e.status()) {
      case 400, 413, 415, 422 -> ExitCode.INVALID;
      case 409 -> ExitCode.CONFLICT;
      default -> ExitCode.ERROR;
    };
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank()
        ? "unexpected " + failure.getClass().getSimpleName() + " (run with --debug for details)"
        : message + " (" + failure.getClass().getSimpleName() + "; run with --debug for details)";
  }
}
