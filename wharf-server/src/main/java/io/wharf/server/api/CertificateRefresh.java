package io.wharf.server.api;

import io.javalin.http.Context;
import io.wharf.server.tls.ClientCertificateAuthenticator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Makes clients re-handshake once their client certificate is due for renewal. A TLS connection
 * keeps the certificate it was opened with, and an agent's pooled connections may live for
 * weeks; agents renew at two thirds of the certificate's life. From that point on, every answer on
 * a connection that presented the old certificate carries {@code Connection: close}, so the
 * client's next request opens a connection with the certificate it holds now (the renewed one),
 * long before the old one expires. Runs before every route.
 */
final class CertificateRefresh {
  private final InstantSource clock;

  CertificateRefresh(InstantSource clock) {
    this.clock = clock;
  }

  void check(Context ctx) {
    List<X509Certificate> chain = ClientCertificateAuthenticator.presented(ctx);
    if (chain.isEmpty()) {
      return;
    }
    Instant notBefore = chain.getFirst().getNotBefore().toInstant();
    Duration life = Duration.between(notBefore, chain.getFirst().getNotAfter().toInstant());
    if (!clock.instant().isBefore(notBefore.plus(life.multipliedBy(2).dividedBy(3)))) {
      ctx.header("Connection", "close");
    }
  }
}
