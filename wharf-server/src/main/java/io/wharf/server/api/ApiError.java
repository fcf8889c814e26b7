package io.wharf.server.api;

import java.util.List;
import java.util.Objects;

/**
 * An error answer: HTTP status, a stable machine code, a message for people and, for
 * validation, every problem found. Rendered by {@link ErrorResponses} as
 * {@code {"error": {"code", "message", "problems"}}}.
 */
public record ApiError(int status, String code, String message, List<ApiProblem> problems) {
  public ApiError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    problems = List.copyOf(problems);
  }

  public static ApiError malformed(String message) {
    return new ApiError(400, "malformed", message, List.of());
  }

  /** A query parameter that cannot be used; the problem's path is the parameter's name. */
  public static ApiError badParameter(String name, String reason) {
    return new ApiError(400, "malformed", "query parameter \"" + name + "\": " + reason,
        List.of(new ApiProblem(name, reason)));
  }

  /** The path and the body disagree. */
  public static ApiError mismatch(String path, String reason) {
    return new ApiError(400, "invalid", path + ": " + reason, List.of(new ApiProblem(path, reason)));
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message, List.of());
  }

  /** No credentials, or credentials that do not hold; {@code reason} says which. */
  public static ApiError unauthenticated(String reason) {
    return new ApiError(401, "unauthenticated", reason, List.of());
  }

  /** A known caller without the permission; the message names who and what. */
  public static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message, List.of());
  }

  public static ApiError conflict(String message) {
    return new ApiError(409, "conflict", message, List.of());
  }

  public static ApiError invalid(String what, List<ApiProblem> problems) {
    String message = what + " has " + problems.size() + (problems.size() == 1 ? " problem" : " problems");
    return new ApiError(422, "invalid", message, problems);
  }

  /** Thrown by request parsing to stop a handler with this answer. */
  public static final class Failure extends RuntimeException {
    private final ApiError error;

    public Failure(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public ApiError error() {
      return error;
    }
  }

  public Failure failure() {
    return new Failure(this);
  }
}
