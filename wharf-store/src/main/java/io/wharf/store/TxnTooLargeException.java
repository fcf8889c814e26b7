package io.wharf.store;

/**
 * A transaction exceeds the store's {@link StoreLimits} (too many operations or bytes); nothing
 * was written. An {@link IllegalArgumentException}: the caller built a transaction the store does
 * not take, and retrying it cannot help.
 */
public final class TxnTooLargeException extends IllegalArgumentException {
  public TxnTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }

  public TxnTooLargeException(String message) {
    super(message);
  }
}
