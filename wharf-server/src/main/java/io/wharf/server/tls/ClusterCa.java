package io.wharf.server.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * reads it. It is stored unencrypted: whoever can read the store (the embedded store's directory,
 * or etcd's keyspace) can already rewrite every object in the cluster, so encrypting it with a
 * key kept beside it would add nothing; protect the store (docs/operations.md, TLS).
 */
public final class ClusterCa {
  public static final String KEY = "/wharf/tls/ca";

  private ClusterCa() {
  }

  public static CertificateAuthority loadOrCreate(Store store, ObjectMapper json, Instant now) {
    Optional<CertificateAuthority> existing = load(store, json);
    if (existing.isPresent()) {
      return existing.get();
    }
    CertificateAuthority made = CertificateAuthority.generate("wharf cluster CA", now);
    byte[] value;
    try {
      value = json.writeValueAsBytes(json.createObjectNode().put("certificate", Pem.certificate(made.certificate()))
          .put("key", Pem.privateKey(made.key())));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (store.txn(Txn.of(List.of(Txn.Compare.absent(KEY)), List.of(new Txn.Put(KEY, value)))).succeeded()) {
      return made;
    }
    return load(store, json).orElseThrow(() -> new IllegalStateException("the cluster CA vanished from the store"));
  }

  static Optional<CertificateAuthority> load(Store store, ObjectMapper json) {
    Optional<KeyValue> kv = store.get(KEY);
    if (kv.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode node = json.readTree(kv.get().value());
      return Optional.of(new CertificateAuthority(Pem.certificates(node.path("certificate").asText()).getFirst(),
          Pem.privateKey(node.path("key").asText())));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("the cluster CA in the store (" + KEY + ") is unreadable: " + e.getMessage(), e);
    }
  }
}
