package io.wharf.agent.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the node's current client certificate; {@link #swap} replaces it (after a renewal)
 * for every handshake that follows, without rebuilding the {@link javax.net.ssl.SSLContext}.
 *
 * <p>Thread safety: the key and chain travel together in one atomic reference.
 */
final class SwappableKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "node";

  record Material(PrivateKey key, X509Certificate[] chain) {}

  private final AtomicReference<Material> current;

  SwappableKeyManager(Material material) {
    this.current = new AtomicReference<>(material);
  }

  void swap(Material material) {
    current.set(material);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return ALIAS;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return ALIAS;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? current.get().chain().clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? current.get().key() : null;
  }
}
