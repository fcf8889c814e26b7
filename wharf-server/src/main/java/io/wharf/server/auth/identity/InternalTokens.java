package io.wharf.server.auth.identity;

import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens for components in the server's own process ({@code wharf dev}'s agent, DNS and gateway):
 * random, held only in this process's memory (never stored, gone when it stops), each naming the
 * principal it acts as. Asked before {@link ApiTokens}; empty for any other bearer.
 */
public final class InternalTokens implements Authenticator {
  private final Map<String, Principal> tokens = new ConcurrentHashMap<>();

  /** A new token acting as {@code principal} for this process's lifetime. */
  public String issue(Principal principal) {
    String token = ApiTokens.newSecret();
    tokens.put(token, principal);
    return token;
  }

  @Override
  public Optional<Principal> authenticate(Credentials credentials) {
    return credentials.bearer() == null ? Optional.empty() : Optional.ofNullable(tokens.get(credentials.bearer()));
  }
}
