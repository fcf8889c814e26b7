package io.wharf.server.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.secrets.SealedKeyMaterial;
import io.wharf.server.secrets.SecretSealer;
import io.wharf.server.secrets.UnreadableSecretException;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The generated cluster CA, kept in the store so every server of a cluster issues from the same
 * one: the first server to start creates it (a create-if-absent transaction, so two servers
 * starting together agree on one), the others read it.
 *
 * <p>The key lives under {@value #KEY}, outside {@code /wharf/r/}: no API route, watch or list
 * reads it. The private key is sealed with the secrets keyring ({@link SealedKeyMaterial}, bound to
 * {@value #KEY}) and opened only in memory; a key an earlier version stored in plaintext PEM is
 * still read, and sealed at the next start. The certificate is stored in the clear.
 */
public final class ClusterCa {
  public static final String KEY = "/wharf/tls/ca";

  private ClusterCa() {
  }

  /** Where the sealed CA key is ({@link SealedKeyMaterial}). */
  public static SealedKeyMaterial.Location sealedLocation() {
    return new SealedKeyMaterial.Location(KEY, "key");
  }

  public static CertificateAuthority loadOrCreate(Store store, ObjectMapper json, Instant now, SecretSealer sealer) {
    Optional<CertificateAuthority> existing = load(store, json, sealer);
    if (existing.isPresent()) {
      return existing.get();
    }
    CertificateAuthority made = CertificateAuthority.generate("wharf cluster CA", now);
    byte[] value;
    try {
      value = json.writeValueAsBytes(json.createObjectNode().put("certificate", Pem.certificate(made.certificate()))
          .set("key", SealedKeyMaterial.seal(sealer, Pem.privateKey(made.key()), KEY)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (store.txn(Txn.of(List.of(Txn.Compare.absent(KEY)), List.of(new Txn.Put(KEY, value)))).succeeded()) {
      return made;
    }
    return load(store, json, sealer).orElseThrow(() -> new IllegalStateException("the cluster CA vanished from the store"));
  }

  static Optional<CertificateAuthority> load(Store store, ObjectMapper json) {
    return load(store, json, SecretSealer.inMemory());
  }

  static Optional<CertificateAuthority> load(Store store, ObjectMapper json, SecretSealer sealer) {
    Optional<KeyValue> kv = store.get(KEY);
    if (kv.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode node = json.readTree(kv.get().value());
      return Optional.of(new CertificateAuthority(Pem.certificates(node.path("certificate").asText()).getFirst(),
          Pem.privateKey(SealedKeyMaterial.open(sealer, node.path("key"), KEY))));
    } catch (UnreadableSecretException e) {
      throw new IllegalStateException("the cluster CA key in the store (" + KEY + ") cannot be opened: " + e.getMessage(), e);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("the cluster CA in the store (" + KEY + ") is unreadable: " + e.getMessage(), e);
    }
  }
}
