package io.wharf.client.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * {@link SSLContext}s for talking to Wharf servers. Host names are still checked by the HTTP
 * client (the server certificate names its bind addresses, 127.0.0.1, localhost and the host
 * name); these only decide which certificates are trusted.
 */
public final class TlsContexts {
  private TlsContexts() {
  }

  /** Trusts servers whose certificate chains to one of {@code cas} (and nothing else). */
  public static SSLContext trusting(List<X509Certificate> cas) {
    return trusting(cas, null);
  }

  /** Trusts {@code cas} and presents the client certificate {@code keys} chooses (null: none). */
  public static SSLContext trusting(List<X509Certificate> cas, KeyManager keys) {
    return context(keys, trustManager(cas));
  }

  /**
   * Trusts a server whose chain contains the CA certificate with this fingerprint (as printed by
   * {@code wharf node join-token create}), and whose own certificate that CA signed. For the one
   * call an agent makes before it holds the CA certificate.
   */
  public static SSLContext pinned(String caFingerprint) {
    String pin = CaCertificates.parseFingerprint(caFingerprint);
    return context(null, new PinnedTrustManager(pin));
  }

  /** A trust manager over exactly these CA certificates. */
  public static X509TrustManager trustManager(List<X509Certificate> cas) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager m : factory.getTrustManagers()) {
        if (m instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X509TrustManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
    }
  }

  private static SSLContext context(KeyManager keys, X509TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : new KeyManager[] {keys}, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** Accepts a chain when a certificate in it has the pinned fingerprint and verifies the leaf. */
  private record PinnedTrustManager(String pin) implements X509TrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      for (X509Certificate candidate : chain) {
        if (CaCertificates.fingerprint(candidate).equals(pin)) {
          trustManager(List.of(candidate)).checkServerTrusted(chain, authType);
          return;
        }
      }
      throw new CertificateException("no certificate in the server's chain has the fingerprint " + pin);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a pinned client context does not accept clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
