package io.wharf.client;

import java.util.Objects;

/**
 * One problem the server found in an input: the field path ({@code services.web.replicas}) and
 * the reason ({@code must be >= 0}). The path may be empty when the problem concerns the whole
 * input.
 */
public record ApiProblem(String path, String reason) {

  public ApiProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }

  /** {@code path: reason}, or just the reason when there is no path. */
  @Override
  public String toString() {
    return path.isEmpty() ? reason : path + ": " + reason;
  }
}
