package io.wharf.server.auth;

/**
 * Credentials were presented and do not hold; the API answers 401 with this message, which
 * says why ("token expired", "token revoked", "bad signature") and never echoes the credential.
 */
public final class AuthenticationException extends RuntimeException {
  public AuthenticationException(String message) {
    super(message, null, false, false);
  }
}
