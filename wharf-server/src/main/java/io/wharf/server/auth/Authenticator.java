package io.wharf.server.auth;

import java.util.Optional;

/**
 * One way of proving who a caller is (API tokens, signed JWTs, client certificates). The
 * authentication seam asks each authenticator in turn.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * The principal these credentials prove; empty when they are not of this authenticator's kind
   * (another one may know them). Credentials of its kind that do not hold (expired, bad signature,
   * revoked, unknown) throw {@link AuthenticationException}: they are never passed on.
   */
  Optional<Principal> authenticate(Credentials credentials);
}
