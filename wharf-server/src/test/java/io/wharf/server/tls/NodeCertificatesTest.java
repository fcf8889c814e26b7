package io.wharf.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.Principal;
import io.wharf.server.fixture.ManualClock;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeCertificatesTest {
  private final ManualClock clock = new ManualClock();
  private final CertificateAuthority ca = CertificateAuthority.generate("test CA", clock.instant());
  private final ClientCertificateAuthenticator authenticator =
      new ClientCertificateAuthenticator(ca.certificate(), clock);

  private X509Certificate nodeCertificate(String node) throws Exception {
    KeyPair key = CertificateAuthority.newKeyPair();
    NodeCertificates.Request request = NodeCertificates.checkRequest(Csrs.of(node, key));
    return ca.issueNode(request.publicKey(), request.nodeName(), clock.instant(), CertificateAuthority.NODE_VALIDITY);
  }

  private static Credentials presenting(X509Certificate cert) {
    return new Credentials(null, List.of(cert), "127.0.0.1");
  }

  @Test
  void aNodeCertificateIssuedFromARequestProvesTheNode() throws Exception {
    X509Certificate cert = nodeCertificate("node-7");

    assertThat(authenticator.authenticate(presenting(cert))).contains(Principal.node("node-7"));
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(Duration.between(clock.instant(), cert.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void noCertificateIsNotThisAuthenticatorsKind() {
    assertThat(authenticator.authenticate(new Credentials("some-token", List.of(), "127.0.0.1"))).isEmpty();
  }

  @Test
  void aCertificateOfAnotherCaIsRefused() throws Exception {
    CertificateAuthority other = CertificateAuthority.generate("test CA", clock.instant());
    KeyPair key = CertificateAuthority.newKeyPair();
    X509Certificate foreign = other.issueNode(key.getPublic(), "node-7", clock.instant(), Duration.ofDays(30));

    assertThatThrownBy(() -> authenticator.authenticate(presenting(foreign)))
        .isInstanceOf(AuthenticationException.class).hasMessage("client certificate not issued by this cluster's CA");
  }

  @Test
  void anExpiredNodeCertificateIsRefused() throws Exception {
    X509Certificate cert = nodeCertificate("node-7");
    clock.advance(Duration.ofDays(31));

    assertThatThrownBy(() -> authenticator.authenticate(presenting(cert)))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("client certificate expired at " + cert.getNotAfter().toInstant());
  }

  @Test
  void aServerCertificateIsNotANodeCertificate() {
    KeyPair key = CertificateAuthority.newKeyPair();
    X509Certificate server = ca.issueServer(key.getPublic(), "127.0.0.1", List.of("127.0.0.1"), clock.instant(),
        Duration.ofDays(365));

    assertThatThrownBy(() -> authenticator.authenticate(presenting(server)))
        .isInstanceOf(AuthenticationException.class).hasMessage("certificate is not a client certificate");
  }

  @Test
  void aRequestSignedByAnotherKeyIsRefused() throws Exception {
    String forged = Csrs.of("node-7", CertificateAuthority.newKeyPair(), CertificateAuthority.newKeyPair());

    assertThatThrownBy(() -> NodeCertificates.checkRequest(forged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the certificate request's signature does not verify");
  }

  @Test
  void aRequestMustNameAValidNode() throws Exception {
    String bad = Csrs.of("Node_7", CertificateAuthority.newKeyPair());

    assertThatThrownBy(() -> NodeCertificates.checkRequest(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the certificate request's CN must be a node name (lowercase letters, digits and '-', at most 63), "
            + "got \"Node_7\"");
    assertThatThrownBy(() -> NodeCertificates.checkRequest("garbage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a PEM certificate request (expected BEGIN CERTIFICATE REQUEST)");
  }
}
