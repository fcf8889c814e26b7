package io.wharf.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.wharf.model.routing.RouteAuth;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a route's bearer tokens: signature by a key of the route's key source with one of its
 * pinned algorithms ({@code alg: none} and unlisted algorithms are refused), {@code exp}
 * required and in the future, {@code iss} equal to the route's issuer when set, an audience
 * among the route's when it lists any.
 *
 * <p>Blocking: with a JWKS URL the first check (and a key rotation) fetches the key set over
 * HTTP, so callers run {@link #verify} off the event loop when {@link #mayBlock()}. Thread-safe.
 */
public final class JwtVerifier {
  private final RouteAuth auth;
  private final DefaultJWTProcessor<SecurityContext> processor; // null when the route has no usable key source
  private final String unusable; // why, when processor is null

  /** A route's verifier with no cluster to fall back on: a route without a key source refuses every token. */
  public JwtVerifier(RouteAuth auth) {
    this(auth, null);
  }

  /**
   * {@code cluster}, when not null, is where tokens issued by this Wharf cluster are checked for
   * a route that names neither {@code jwksUrl} nor {@code publicKey} ({@code auth: jwt}): the
   * servers' key set ({@code /v1/auth/jwks}), ES256 only, issuer {@code wharf} unless the route
   * says otherwise. Users' login tokens and workload identity tokens pass such routes.
   */
  public JwtVerifier(RouteAuth auth, ClusterKeys cluster) {
    this.auth = auth;
    boolean clusterIssued = auth.jwksUrl() == null && auth.publicKey() == null && cluster != null;
    JWKSource<SecurityContext> keys;
    try {
      keys = clusterIssued ? cluster.source() : keys(auth);
    } catch (IllegalArgumentException e) {
      keys = null;
    }
    if (keys == null) {
      processor = null;
      unusable = auth.jwksUrl() == null && auth.publicKey() == null
          ? "the route has no key to check tokens with" : "the route's key is unusable";
      return;
    }
    unusable = null;
    Set<JWSAlgorithm> algorithms = clusterIssued ? Set.of(JWSAlgorithm.ES256)
        : auth.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
    String issuer = auth.issuer() == null && clusterIssued ? ClusterKeys.ISSUER : auth.issuer();
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    if (keys instanceof ImmutableJWKSet<SecurityContext> configured) {
      // A configured key verifies whatever key id a token names; only the algorithm is pinned.
      java.security.Key key = javaKey(configured.getJWKSet().getKeys().get(0));
      p.setJWSKeySelector((header, context) -> algorithms.contains(header.getAlgorithm()) ? List.of(key) : List.of());
    } else {
      p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    }
    JWTClaimsSet exact = issuer == null ? new JWTClaimsSet.Builder().build()
        : new JWTClaimsSet.Builder().issuer(issuer).build();
    p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
        auth.audiences().isEmpty() ? null : new HashSet<>(auth.audiences()), exact, Set.of("exp"), null));
    processor = p;
  }

  private static JWKSource<SecurityContext> keys(RouteAuth auth) {
    try {
      if (auth.jwksUrl() != null) {
        return JWKSourceBuilder.<SecurityContext>create(URI.create(auth.jwksUrl()).toURL()).retrying(false).build();
      }
      if (auth.publicKey() != null) {
        return new ImmutableJWKSet<>(new JWKSet(publicKey(auth.publicKey())));
      }
      return null;
    } catch (java.net.MalformedURLException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("auth: unusable key source: " + e.getMessage(), e);
    }
  }

  /** An RSA or EC public key from PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
  static JWK publicKey(String pem) throws GeneralSecurityException {
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
    try {
      return new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec)).build();
    } catch (InvalidKeySpecException notRsa) {
      ECPublicKey ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
      return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
    }
  }

  private static java.security.Key javaKey(JWK jwk) {
    try {
      return jwk instanceof RSAKey rsa ? rsa.toPublicKey() : ((ECKey) jwk).toPublicKey();
    } catch (JOSEException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public RouteAuth auth() {
    return auth;
  }

  public boolean mayBlock() {
    return auth.jwksUrl() != null || auth.publicKey() == null;
  }

  /** Empty when {@code token} is acceptable, else why not (safe to show the client). */
  public Optional<String> verify(String token) {
    if (processor == null) {
      return Optional.of(unusable);
    }
    try {
      processor.process(token, null);
      return Optional.empty();
    } catch (ParseException e) {
      return Optional.of("malformed token");
    } catch (BadJOSEException | JOSEException e) {
      return Optional.of(e.getMessage());
    } catch (RuntimeException e) {
      return Optional.of("token check failed: " + e.getClass().getSimpleName());
    }
  }
}
