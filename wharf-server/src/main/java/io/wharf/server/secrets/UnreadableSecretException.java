package io.wharf.server.secrets;

/**
 * A stored secret value cannot be opened (its key is not in the keyring, or it does not
 * authenticate). The message names the key, never a value.
 */
public final class UnreadableSecretException extends RuntimeException {
  public UnreadableSecretException(String message) {
    super(message, null, false, false);
  }
}
