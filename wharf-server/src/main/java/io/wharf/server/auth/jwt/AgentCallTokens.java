package io.wharf.server.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.server.auth.Principal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

/**
 * The short-lived tokens a server sends to a node agent when it proxies a call to it (logs, exec):
 * a JWT signed ES256 by the current {@link SigningKeys} key, {@code iss} {@value SignedTokens#ISSUER},
 * {@code aud} {@code agent:<node>} only (so the server's own {@link JwtAuthenticator} refuses it:
 * {@code wrong audience}), {@code sub} the caller the server authenticated, and the one instance
 * ({@value #INSTANCE_CLAIM}: {@code namespace/name}) and action ({@value #ACTION_CLAIM}:
 * {@code logs} or {@code exec}) it allows, for {@link #LIFETIME}. The agent checks them against the
 * keys of {@code GET /v1/auth/jwks} (wharf-agent {@code endpoint.AgentCallVerifier}, which repeats
 * these names: the agent does not depend on the server). Thread-safe.
 */
public final class AgentCallTokens {
  public static final String AUDIENCE_PREFIX = "agent:";
  public static final String INSTANCE_CLAIM = "wharf.io/agent-instance";
  public static final String ACTION_CLAIM = "wharf.io/agent-action";
  /** Long enough for one call to reach its agent, short enough that a leaked token is soon useless. */
  public static final Duration LIFETIME = Duration.ofSeconds(60);

  /** What a proxied call may do on the agent. */
  public enum Action {
    LOGS, EXEC;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SigningKeys keys;
  private final InstantSource clock;

  public AgentCallTokens(SigningKeys keys, InstantSource clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A token letting {@code caller}'s call do {@code action} on instance {@code namespace/name} of {@code node}. */
  public String issue(Principal caller, String node, String namespace, String name, Action action) {
    Objects.requireNonNull(caller, "caller");
    SigningKeys.CurrentKey key = keys.current();
    Instant now = clock.instant();
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(SignedTokens.ISSUER)
        .audience(AUDIENCE_PREFIX + node)
        .subject(caller.id())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(LIFETIME)))
        .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
        .claim(INSTANCE_CLAIM, namespace + "/" + name)
        .claim(ACTION_CLAIM, action.wire())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(SigningKeys.ALGORITHM).keyID(key.kid())
        .type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new ECDSASigner(key.jwk()));
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign an agent call token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }
}
