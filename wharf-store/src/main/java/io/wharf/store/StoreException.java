package io.wharf.store;

/** A store operation failed: the backend is unreachable, closed, or refused the request. */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
