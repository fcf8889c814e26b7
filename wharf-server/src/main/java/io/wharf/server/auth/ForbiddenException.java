package io.wharf.server.auth;

/**
 * The caller is known and not allowed: the API answers 403 with this message, which names the
 * principal and what it may not do ({@code user:bob may not delete Service in namespace prod}).
 */
public final class ForbiddenException extends RuntimeException {
  public ForbiddenException(String message) {
    super(message, null, false, false);
  }
}
