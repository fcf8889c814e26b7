package io.wharf.cli.serve;

import io.wharf.client.tls.TlsContexts;
import io.wharf.server.tls.CertificateAuthority;
import io.wharf.server.tls.ServerTls;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;

/**
 * {@code wharf dev --tls}: the in-process agent needs no join token — the control plane beside it
 * holds the CA, so the dev node's certificate is issued directly at start (valid 30 days, made
 * again at every start) and the agent and the other in-process clients talk mutual TLS with it.
 */
final class DevTls {
  private DevTls() {
  }

  static SSLContext nodeContext(ServerTls tls, String nodeName) {
    KeyPair key = CertificateAuthority.newKeyPair();
    X509Certificate cert = tls.ca().issueNode(key.getPublic(), nodeName, Instant.now(), CertificateAuthority.NODE_VALIDITY);
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("node", key.getPrivate(), new char[0], new X509Certificate[] {cert});
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys, new char[0]);
      return TlsContexts.trusting(List.of(tls.ca().certificate()), (X509KeyManager) factory.getKeyManagers()[0]);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot set up the dev node's TLS: " + e.getMessage(), e);
    }
  }
}
