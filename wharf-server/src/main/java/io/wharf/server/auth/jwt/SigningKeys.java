package io.wharf.server.auth.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.wharf.server.secrets.SealedKeyMaterial;
import io.wharf.server.secrets.SecretSealer;
import io.wharf.server.secrets.UnreadableSecretException;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ES256 (P-256) keys Wharf signs its tokens with, kept in the store so every server signs
 * with the same current key and verifies with all of them.
 *
 * <p>Layout: {@code /wharf/auth/signing-keys/<kid>} holds one key (its private JWK, when it was
 * made and, once rotated out, when it was retired); {@code /wharf/auth/signing-key} names the
 * current one. No API route reads under {@code /wharf/auth/}: private keys leave this class only
 * as a signer. The JWK is sealed with the secrets keyring ({@link SealedKeyMaterial}, bound to
 * the key's store key) and opened only in memory here; a JWK an earlier version stored in
 * plaintext is still read, and sealed at the next start.
 *
 * <p>Rotation ({@link #rotate}) makes a new current key in one transaction; the old key stays
 * for {@link #retention} (the longest a token may live) so tokens it signed stay valid until they
 * expire, and is deleted by a later rotation after that.
 *
 * <p>Thread safety: safe for concurrent use. Public keys are cached by kid for {@link #CACHE_TTL};
 * a kid the cache does not know re-reads the store (another server may have rotated), and a key
 * deleted from the store stops verifying on every server within {@link #CACHE_TTL}.
 */
public final class SigningKeys {
  public static final String PREFIX = "/wharf/auth/signing-keys/";
  public static final String CURRENT = "/wharf/auth/signing-key";
  public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES256;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;
  private final ObjectMapper json;
  private final InstantSource clock;
  private final Duration retention;
  private final SecretSealer sealer;
  /** How long a cached public key is trusted before the store is asked again (a deleted key stops verifying). */
  static final Duration CACHE_TTL = Duration.ofSeconds(60);

  private record Cached(ECKey key, Instant retiredAt, Instant readAt) {}

  private final Map<String, Cached> publicKeys = new ConcurrentHashMap<>();

  /** A stored key: its JWK (with the private part), when it was made and when it was rotated out. */
  record StoredKey(ECKey jwk, Instant createdAt, Instant retiredAt, long modRevision) {
    String kid() {
      return jwk.getKeyID();
    }
  }

  /** The key that signs new tokens: its id and the key itself (private part included). */
  public record CurrentKey(String kid, ECKey jwk) {}

  /**
   * @param retention how long a rotated-out key still verifies: at least the longest lifetime
   *     of any token signed with it
   */
  public SigningKeys(Store store, ObjectMapper json, InstantSource clock, Duration retention) {
    this(store, json, clock, retention, SecretSealer.inMemory());
  }

  /** Keys whose private JWKs are sealed with {@code sealer}'s keyring. */
  public SigningKeys(Store store, ObjectMapper json, InstantSource clock, Duration retention, SecretSealer sealer) {
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.retention = retention;
    this.sealer = sealer;
  }

  /** Where the sealed private JWKs are ({@link SealedKeyMaterial}). */
  public static SealedKeyMaterial.Location sealedLocation() {
    return new SealedKeyMaterial.Location(PREFIX, "jwk");
  }

  /** How long a rotated-out key still verifies tokens. */
  public Duration retention() {
    return retention;
  }

  /** The current signing key, made (once, whichever server is first) when there is none yet. */
  public CurrentKey current() {
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<KeyValue> pointer = store.get(CURRENT);
      if (pointer.isPresent()) {
        String kid = new String(pointer.get().value(), StandardCharsets.UTF_8);
        Optional<StoredKey> key = read(kid);
        if (key.isPresent()) {
          return new CurrentKey(kid, key.get().jwk());
        }
      }
      ECKey fresh = generate();
      Txn txn = Txn.of(List.of(new Txn.Compare(CURRENT, pointer.map(KeyValue::modRevision).orElse(0L))),
          List.of(new Txn.Put(PREFIX + fresh.getKeyID(), encode(fresh, clock.instant(), null)),
              new Txn.Put(CURRENT, fresh.getKeyID().getBytes(StandardCharsets.UTF_8))));
      if (store.txn(txn).succeeded()) {
        return new CurrentKey(fresh.getKeyID(), fresh);
      }
    }
    throw new IllegalStateException("could not settle on a signing key: the key pointer keeps changing");
  }

  /**
   * Makes a new current key; the previous one is marked retired and keeps verifying for
   * {@link #retention}; keys retired longer ago than that are deleted. Returns the new kid.
   */
  public String rotate() {
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<KeyValue> pointer = store.get(CURRENT);
      Instant now = clock.instant();
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      compares.add(new Txn.Compare(CURRENT, pointer.map(KeyValue::modRevision).orElse(0L)));
      String previous = pointer.map(kv -> new String(kv.value(), StandardCharsets.UTF_8)).orElse(null);
      for (StoredKey k : all()) {
        if (k.kid().equals(previous) && k.retiredAt() == null) {
          compares.add(new Txn.Compare(PREFIX + k.kid(), k.modRevision()));
          ops.add(new Txn.Put(PREFIX + k.kid(), encode(k.jwk(), k.createdAt(), now)));
        } else if (k.retiredAt() != null && !k.retiredAt().plus(retention).isAfter(now)) {
          ops.add(new Txn.Delete(PREFIX + k.kid()));
          publicKeys.remove(k.kid());
        }
      }
      ECKey fresh = generate();
      ops.add(new Txn.Put(PREFIX + fresh.getKeyID(), encode(fresh, now, null)));
      ops.add(new Txn.Put(CURRENT, fresh.getKeyID().getBytes(StandardCharsets.UTF_8)));
      if (store.txn(Txn.of(compares, ops)).succeeded()) {
        return fresh.getKeyID();
      }
    }
    throw new IllegalStateException("could not rotate the signing key: the key pointer keeps changing");
  }

  /**
   * The public key with this id, if it still verifies: unknown ids re-read the store once, and
   * a key retired longer than {@link #retention} ago no longer counts.
   */
  public Optional<ECKey> verificationKey(String kid) {
    Instant now = clock.instant();
    Cached cached = publicKeys.get(kid);
    if (cached == null || !cached.readAt().plus(CACHE_TTL).isAfter(now)) {
      Optional<StoredKey> stored = read(kid);
      if (stored.isEmpty()) {
        publicKeys.remove(kid);
        return Optional.empty();
      }
      cached = new Cached(stored.get().jwk().toPublicJWK(), stored.get().retiredAt(), now);
      publicKeys.put(kid, cached);
    }
    if (cached.retiredAt() != null && !cached.retiredAt().plus(retention).isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(cached.key());
  }

  /**
   * The JWKS document of every key that still verifies (public parts only), the current one
   * first, then newest first:
   * what {@code GET /v1/auth/jwks} serves and the gateway's JWT routes read.
   */
  public JWKSet jwks() {
    String current = current().kid(); // a server that never signed still publishes the key it would sign with
    Instant now = clock.instant();
    List<JWK> keys = all().stream()
        .filter(k -> k.retiredAt() == null || k.retiredAt().plus(retention).isAfter(now))
        .sorted(Comparator.comparing((StoredKey k) -> !k.kid().equals(current))
            .thenComparing(StoredKey::createdAt, Comparator.reverseOrder())
            .thenComparing(StoredKey::kid))
        .map(k -> (JWK) k.jwk().toPublicJWK())
        .toList();
    return new JWKSet(keys);
  }

  List<StoredKey> all() {
    List<StoredKey> keys = new ArrayList<>();
    for (KeyValue kv : store.range(PREFIX).kvs()) {
      keys.add(decode(kv));
    }
    return keys;
  }

  private Optional<StoredKey> read(String kid) {
    if (kid.isEmpty() || kid.contains("/")) {
      return Optional.empty();
    }
    return store.get(PREFIX + kid).map(this::decode);
  }

  private static ECKey generate() {
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
          .algorithm(ALGORITHM).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key: " + e.getMessage(), e);
    }
  }

  private byte[] encode(ECKey key, Instant createdAt, Instant retiredAt) {
    ObjectNode node = json.createObjectNode();
    node.put("kid", key.getKeyID());
    node.put("createdAt", createdAt.toString());
    if (retiredAt != null) {
      node.put("retiredAt", retiredAt.toString());
    }
    try {
      node.set("jwk", SealedKeyMaterial.seal(sealer, key.toJSONString(), PREFIX + key.getKeyID()));
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private StoredKey decode(KeyValue kv) {
    try {
      JsonNode node = json.readTree(kv.value());
      ECKey jwk = ECKey.parse(SealedKeyMaterial.open(sealer, node.path("jwk"), kv.key()));
      Instant retired = node.hasNonNull("retiredAt") ? Instant.parse(node.path("retiredAt").asText()) : null;
      return new StoredKey(jwk, Instant.parse(node.path("createdAt").asText()), retired, kv.modRevision());
    } catch (UnreadableSecretException e) {
      throw new IllegalStateException("signing key " + kv.key() + " cannot be opened: " + e.getMessage(), e);
    } catch (IOException | ParseException | RuntimeException e) {
      throw new IllegalStateException("signing key " + kv.key() + " cannot be read: " + e.getMessage(), e);
    }
  }
}
