package io.wharf.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Key material the server keeps in the store outside the resources (the signing keys' private
 * JWKs, users' TOTP secrets, the cluster CA's private key), sealed with the same keyring as
 * Secret values. One field of a JSON value holds it: an {@link Envelope} whose associated data is
 * the value's store key ({@link #associatedData}), so a ciphertext moved to another key does not
 * open. Values an earlier version stored in plaintext (a string, or a JSON object for a JWK) are
 * still read, and sealed by {@link #sealPlaintext()} at start; {@link #reseal()} re-seals every
 * value not sealed with the active key (after a key rotation). Each write compares the value's
 * revision; a lost race re-reads the value.
 *
 * <p>Thread safety: safe for many threads; the owners of each kind read and write their values
 * themselves with {@link #seal} and {@link #open}.
 */
public final class SealedKeyMaterial {
  private static final int ATTEMPTS = 10;

  /**
   * Where one kind of key material is: every store key under {@code prefix} (exactly {@code
   * prefix} when it does not end in '/'), in the JSON field {@code field} of its value.
   */
  public record Location(String prefix, String field) {
    public Location {
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(field, "field");
    }

    boolean holds(String key) {
      return prefix.endsWith("/") ? key.startsWith(prefix) && key.length() > prefix.length() : key.equals(prefix);
    }
  }

  private final Store store;
  private final ObjectMapper json;
  private final SecretSealer sealer;
  private final List<Location> locations;

  public SealedKeyMaterial(Store store, ObjectMapper json, SecretSealer sealer, List<Location> locations) {
    this.store = store;
    this.json = json;
    this.sealer = sealer;
    this.locations = List.copyOf(locations);
  }

  /** The data a value's ciphertext is bound to: {@code KeyMaterial<store key>}. */
  public static String associatedData(String storeKey) {
    return "KeyMaterial" + storeKey;
  }

  /** {@code plaintext} sealed with the active key for the value at {@code storeKey}, as JSON. */
  public static JsonNode seal(SecretSealer sealer, String plaintext, String storeKey) {
    return sealer.seal(plaintext, associatedData(storeKey)).toJson();
  }

  /**
   * The plaintext of {@code node} as stored at {@code storeKey}: an envelope is opened; anything
   * else is plaintext from an earlier version (a string as is, an object as its JSON text).
   *
   * @throws UnreadableSecretException naming the key id when it is not in the keyring, or when the
   *     envelope does not authenticate for {@code storeKey}; never quoting the value
   */
  public static String open(SecretSealer sealer, JsonNode node, String storeKey) {
    Optional<Envelope> envelope = Envelope.fromJson(node);
    if (envelope.isPresent()) {
      return sealer.open(envelope.get(), associatedData(storeKey));
    }
    return node.isTextual() ? node.asText() : node.toString();
  }

  /** Seals every value still stored in plaintext (by a version before sealing); returns how many. */
  public int sealPlaintext() {
    return walk(true);
  }

  /** Re-seals every value not sealed with the active key; returns how many were written. */
  public int reseal() {
    return walk(false);
  }

  private int walk(boolean plaintextOnly) {
    int written = 0;
    for (Location location : locations) {
      for (KeyValue kv : store.range(location.prefix()).kvs()) {
        if (location.holds(kv.key()) && resealOne(kv, location.field(), plaintextOnly)) {
          written++;
        }
      }
    }
    return written;
  }

  private boolean resealOne(KeyValue first, String field, boolean plaintextOnly) {
    KeyValue kv = first;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      JsonNode value;
      try {
        value = json.readTree(kv.value());
      } catch (IOException e) {
        throw new IllegalStateException(kv.key() + " cannot be read: " + e.getMessage(), e);
      }
      if (!(value instanceof ObjectNode object) || !object.hasNonNull(field)) {
        return false;
      }
      Optional<Envelope> envelope = Envelope.fromJson(object.get(field));
      if (envelope.isPresent() && (plaintextOnly || envelope.get().keyId().equals(sealer.keyring().activeId()))) {
        return false;
      }
      String plaintext;
      try {
        plaintext = open(sealer, object.get(field), kv.key());
      } catch (UnreadableSecretException e) {
        throw new UnreadableSecretException(kv.key() + " cannot be opened: " + e.getMessage());
      }
      ObjectNode next = object.deepCopy();
      next.set(field, seal(sealer, plaintext, kv.key()));
      byte[] bytes;
      try {
        bytes = json.writeValueAsBytes(next);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      if (store.txn(Txn.of(List.of(new Txn.Compare(kv.key(), kv.modRevision())),
          List.of(new Txn.Put(kv.key(), bytes)))).succeeded()) {
        return true;
      }
      Optional<KeyValue> now = store.get(kv.key());
      if (now.isEmpty()) {
        return false;
      }
      kv = now.get();
    }
    throw new IllegalStateException(first.key() + " keeps changing; it was not re-sealed (try again)");
  }
}
