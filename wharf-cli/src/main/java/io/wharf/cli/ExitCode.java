package io.wharf.cli;

/**
 * The process exit codes of {@code wharf}, documented in docs/cli.md. Scripts rely on them:
 * never renumber.
 */
public enum ExitCode {
  /** The command did what was asked. */
  OK(0),
  /** The server answered with an error, or could not be reached. */
  ERROR(1),
  /** The command line was wrong: unknown option or kind, missing argument, unreadable file. */
  USAGE(2),
  /** The input was rejected: validation problems, unparseable stack file. */
  INVALID(3),
  /** The state changed since it was read: stale revision, plan out of date, name taken. */
  CONFLICT(4),
  /** The user declined the confirmation. */
  ABORTED(5),
  /** {@code apply --wait}: a rollout failed or was rolled back. */
  ROLLOUT_FAILED(6),
  /** {@code apply --wait}: the rollouts had not settled when the timeout passed. */
  TIMEOUT(7);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
