package io.wharf.server.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.Principal;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Proves callers by the signed tokens of {@link SignedTokens}: a bearer of three dot-separated
 * parts is a JWT and is this authenticator's (anything else — API tokens — is left to others).
 *
 * <p>Checks, in order, each refusal with its own message: it parses ({@code malformed token}),
 * is signed ({@code algorithm none refused}), with exactly ES256 (HMAC with the public key as
 * secret — algorithm confusion — and every other algorithm: {@code algorithm HS256 refused}),
 * names a key that still verifies ({@code unknown key id}), the signature holds
 * ({@code bad signature}), {@code iss} and {@code aud} are {@value SignedTokens#ISSUER}
 * ({@code wrong issuer}, {@code wrong audience}), {@code exp} is present and not passed
 * ({@code token expired}) and not further away than the longest lifetime Wharf gives
 * ({@code token lifetime over the cap}), {@code nbf} has come ({@code token not yet valid}), {@code sub} is a
 * principal. A workload token (with {@value SignedTokens#INSTANCE_CLAIM}) also needs its
 * instance to be running ({@code token's instance has stopped}). Clocks may disagree by
 * {@link #CLOCK_SKEW}.
 *
 * <p>Thread-safe; reads the store only for a key id it has not cached and for workload tokens.
 */
public final class JwtAuthenticator implements Authenticator {
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /** Whether a workload token's instance still runs; revokes the tokens of stopped instances. */
  @FunctionalInterface
  public interface ActiveInstances {
    boolean active(String namespace, String instance, Principal service);
  }

  private final SigningKeys keys;
  private final InstantSource clock;
  private final ActiveInstances instances;

  public JwtAuthenticator(SigningKeys keys, InstantSource clock, ActiveInstances instances) {
    this.keys = keys;
    this.clock = clock;
    this.instances = instances;
  }

  /** Whether a bearer is shaped like a JWT (header.payload.signature), so this authenticator's. */
  public static boolean isJwt(String bearer) {
    if (bearer == null) {
      return false;
    }
    int first = bearer.indexOf('.');
    if (first < 0) {
      return false;
    }
    int second = bearer.indexOf('.', first + 1);
    return second > 0 && bearer.indexOf('.', second + 1) < 0;
  }

  @Override
  public Optional<Principal> authenticate(Credentials credentials) {
    String bearer = credentials.bearer();
    if (!isJwt(bearer)) {
      return Optional.empty();
    }
    return Optional.of(verify(bearer));
  }

  /** The principal the token proves; {@link AuthenticationException} saying why not. */
  public Principal verify(String token) {
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new AuthenticationException("malformed token");
    }
    if (parsed instanceof PlainJWT) {
      throw new AuthenticationException("algorithm none refused");
    }
    if (!(parsed instanceof SignedJWT jwt)) {
      throw new AuthenticationException("malformed token");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!SigningKeys.ALGORITHM.equals(alg)) {
      throw new AuthenticationException("algorithm " + alg + " refused; tokens are signed " + SigningKeys.ALGORITHM);
    }
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      throw new AuthenticationException("token has no key id");
    }
    ECKey key = keys.verificationKey(kid).orElseThrow(() -> new AuthenticationException("unknown key id"));
    try {
      if (!jwt.verify(new ECDSAVerifier(key))) {
        throw new AuthenticationException("bad signature");
      }
    } catch (JOSEException e) {
      throw new AuthenticationException("bad signature");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AuthenticationException("malformed token");
    }
    if (!SignedTokens.ISSUER.equals(claims.getIssuer())) {
      throw new AuthenticationException("wrong issuer");
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(SignedTokens.ISSUER)) {
      throw new AuthenticationException("wrong audience");
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new AuthenticationException("token has no expiry");
    }
    if (!exp.toInstant().plus(CLOCK_SKEW).isAfter(now)) {
      throw new AuthenticationException("token expired");
    }
    if (exp.toInstant().isAfter(now.plus(keys.retention()).plus(CLOCK_SKEW))) {
      // Wharf never issues such a token: only a leaked key could have signed it.
      throw new AuthenticationException("token lifetime over the cap");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
      throw new AuthenticationException("token not yet valid");
    }
    Principal subject = Principal.parse(claims.getSubject())
        .filter(p -> !p.anonymous())
        .orElseThrow(() -> new AuthenticationException("token subject is not a principal"));
    Object instance = claims.getClaim(SignedTokens.INSTANCE_CLAIM);
    if (instance != null) {
      checkInstance(subject, instance);
    }
    return subject;
  }

  private void checkInstance(Principal subject, Object claim) {
    if (!(claim instanceof String text) || subject.kind() != Principal.Kind.SERVICE) {
      throw new AuthenticationException("malformed token");
    }
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new AuthenticationException("malformed token");
    }
    if (!instances.active(text.substring(0, slash), text.substring(slash + 1), subject)) {
      throw new AuthenticationException("token's instance has stopped");
    }
  }
}
