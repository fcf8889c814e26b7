package io.wharf.server.api;

import java.util.Objects;

/** One thing wrong with a request: the field or parameter ({@code path}) and why. */
public record ApiProblem(String path, String reason) {
  public ApiProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }
}
