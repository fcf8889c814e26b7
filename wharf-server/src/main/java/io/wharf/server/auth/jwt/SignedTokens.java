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
 * Issues Wharf's signed tokens: a JWT signed ES256 by the current {@link SigningKeys} key, with
 * {@code iss} and {@code aud} {@value #ISSUER}, {@code sub} the principal's id
 * ({@code user:alice}, {@code service:default/web}), {@code iat}/{@code nbf}/{@code exp}, a
 * random {@code jti}, and for workload tokens the instance they belong to
 * ({@value #INSTANCE_CLAIM}: {@code namespace/instance}). Lifetimes are capped at the keys'
 * retention, so a retired key always outlives the tokens it signed. Thread-safe.
 */
public final class SignedTokens {
  /** The {@code iss} and {@code aud} of every token Wharf issues (gateway routes: issuer wharf, audiences [wharf]). */
  public static final String ISSUER = "wharf";
  public static final String INSTANCE_CLAIM = "wharf.io/instance";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SigningKeys keys;
  private final InstantSource clock;

  /** A token and when it expires. */
  public record Issued(String token, Instant expiresAt, String kid) {
    @Override
    public String toString() {
      return "Issued[token=(hidden), expiresAt=" + expiresAt + ", kid=" + kid + "]";
    }
  }

  public SignedTokens(SigningKeys keys, InstantSource clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** The longest lifetime a token may be given. */
  public Duration maxLifetime() {
    return keys.retention();
  }

  /** A token for {@code subject} valid for {@code lifetime} (at most {@link #maxLifetime}). */
  public Issued issue(Principal subject, Duration lifetime) {
    return issue(subject, lifetime, null);
  }

  /**
   * A token for {@code subject}; {@code instance} ({@code namespace/name}, or null) ties it to
   * one running instance, so it stops working when the instance stops.
   */
  public Issued issue(Principal subject, Duration lifetime, String instance) {
    Objects.requireNonNull(subject, "subject");
    if (subject.anonymous()) {
      throw new IllegalArgumentException("no token for the anonymous principal");
    }
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(maxLifetime()) > 0) {
      throw new IllegalArgumentException("token lifetime must be within (0, " + maxLifetime() + "], got " + lifetime);
    }
    SigningKeys.CurrentKey key = keys.current();
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(ISSUER)
        .subject(subject.id())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(expires))
        .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(id));
    if (instance != null) {
      claims.claim(INSTANCE_CLAIM, instance);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(SigningKeys.ALGORITHM).keyID(key.kid())
        .type(JOSEObjectType.JWT).build(), claims.build());
    try {
      jwt.sign(new ECDSASigner(key.jwk()));
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a token: " + e.getMessage(), e);
    }
    return new Issued(jwt.serialize(), expires, key.kid());
  }
}
