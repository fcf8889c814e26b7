package io.wharf.server.auth;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a request presented: the bearer token of its {@code Authorization} header (null when
 * none), the client certificate chain of a mutual-TLS connection (empty when none), and the
 * peer's address (for audit and rate limits).
 */
public record Credentials(String bearer, List<X509Certificate> clientCertificates, String remoteAddress) {
  public Credentials {
    clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
  }

  public boolean none() {
    return bearer == null && clientCertificates.isEmpty();
  }

  @Override
  public String toString() {
    return "Credentials[bearer=" + (bearer == null ? "none" : "(set)") + ", certificates=" + clientCertificates.size()
        + ", remoteAddress=" + remoteAddress + "]";
  }
}
