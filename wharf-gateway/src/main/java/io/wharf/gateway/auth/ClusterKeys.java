package io.wharf.gateway.auth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The signing keys of the Wharf cluster the gateway follows: its servers' JWKS document
 * ({@code GET /v1/auth/jwks}, anonymous), fetched over the same TLS trust as the gateway's API
 * client and cached by nimbus (refetched when a token names a key id it has not seen, which is
 * how a key rotation reaches the gateway). One source is shared by every {@code auth: jwt} route.
 */
public final class ClusterKeys {
  /** The issuer of tokens Wharf signs (logins and workload identities). */
  public static final String ISSUER = "wharf";
  private static final int TIMEOUT_MILLIS = 5_000;
  private static final int SIZE_LIMIT = 256 * 1024;

  private final URI jwks;
  private final JWKSource<SecurityContext> source;

  /** {@code server}: a server's base URL; {@code ssl} null for the JDK's default trust. */
  public ClusterKeys(URI server, SSLContext ssl) {
    this.jwks = URI.create(Objects.requireNonNull(server, "server").toString().replaceAll("/+$", "") + "/v1/auth/jwks");
    DefaultResourceRetriever retriever = new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, SIZE_LIMIT,
        true, ssl == null ? null : ssl.getSocketFactory());
    try {
      this.source = JWKSourceBuilder.<SecurityContext>create(jwks.toURL(), retriever).retrying(false).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a server address: " + server, e);
    }
  }

  public URI jwks() {
    return jwks;
  }

  JWKSource<SecurityContext> source() {
    return source;
  }
}
