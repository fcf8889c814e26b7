package io.wharf.client;

import java.util.List;
import java.util.Objects;

/**
 * An error the server answered with (docs/api.md, "Errors"): the HTTP status, the error code
 * ({@code invalid}, {@code not_found}, {@code conflict}, ...), the server's message and, for
 * validation failures, every problem with its field path.
 */
public final class ApiException extends ClientException {

  private final int status;
  private final String code;
  private final String serverMessage;
  private final List<ApiProblem> problems;

  public ApiException(int status, String code, String serverMessage, List<ApiProblem> problems) {
    super(status + " " + code + ": " + serverMessage);
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
    this.serverMessage = Objects.requireNonNull(serverMessage, "serverMessage");
    this.problems = List.copyOf(problems);
  }

  public int status() {
    return status;
  }

  /** The API's error code, e.g. {@code not_found}, {@code conflict}, {@code invalid}. */
  public String code() {
    return code;
  }

  /** The message as the server wrote it, without status or code. */
  public String serverMessage() {
    return serverMessage;
  }

  public List<ApiProblem> problems() {
    return problems;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  /** A stale revision or a create of a name that exists. */
  public boolean isConflict() {
    return status == 409;
  }
}
