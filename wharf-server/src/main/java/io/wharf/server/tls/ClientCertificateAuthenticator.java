package io.wharf.server.tls;

import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.Principal;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Mutual TLS: a client certificate that is a node certificate of this cluster's CA proves
 * {@code node:CN}. Jetty has already checked the chain against the CA during the handshake; this
 * checks it again (issuer signature, validity now, clientAuth, organisation, node name) so the
 * seam never trusts a chain it did not judge. No certificate: not this authenticator's kind
 * (empty). A certificate that fails: {@link AuthenticationException} naming why.
 */
public final class ClientCertificateAuthenticator implements Authenticator {
  private final X509Certificate ca;
  private final InstantSource clock;

  public ClientCertificateAuthenticator(X509Certificate ca, InstantSource clock) {
    this.ca = ca;
    this.clock = clock;
  }

  @Override
  public Optional<Principal> authenticate(Credentials credentials) {
    if (credentials.clientCertificates().isEmpty()) {
      return Optional.empty();
    }
    NodeCertificates.Verdict verdict = NodeCertificates.verify(credentials.clientCertificates(), ca, clock.instant());
    return Optional.of(Principal.node(verdict.node().orElseThrow(() -> new AuthenticationException(verdict.reason()))));
  }

  /** The chain the client presented on this request's TLS connection (empty: none, or plain HTTP). */
  public static java.util.List<X509Certificate> presented(io.javalin.http.Context ctx) {
    Object attribute = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
    return attribute instanceof X509Certificate[] chain ? java.util.List.of(chain) : java.util.List.of();
  }
}
