package io.wharf.client;

/**
 * The client could not complete a call: the server was unreachable, the connection broke, the
 * call timed out, or the answer was not the JSON the API promises. Errors the server itself
 * reports are the subclass {@link ApiException}.
 */
public class ClientException extends RuntimeException {

  public ClientException(String message, Throwable cause) {
    super(message, cause);
  }

  public ClientException(String message) {
    super(message);
  }
}
