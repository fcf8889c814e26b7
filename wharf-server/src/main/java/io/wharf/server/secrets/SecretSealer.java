package io.wharf.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Seals a Secret object's values before it is stored and opens them for the one guarded read.
 * A Secret's values are {@code spec.value} and every entry of {@code spec.data}; sealed, each is
 * an {@link Envelope} whose associated data is the secret's identity and entry
 * ({@link #associatedData}), so ciphertexts cannot be swapped between secrets or entries.
 *
 * <p>Thread safety: safe for many threads; the keyring is swapped atomically on {@link #reload()}.
 */
public final class SecretSealer {
  /** How often an unknown key id may make the sealer re-read its key source. */
  private static final Duration RELOAD_AT_MOST_EVERY = Duration.ofSeconds(1);

  private final KeySource source;
  private final AtomicReference<SecretKeyring> ring;
  /** When the source was last re-read for an unknown key; the first unknown key re-reads at once. */
  private final AtomicLong lastReload = new AtomicLong(System.nanoTime() - RELOAD_AT_MOST_EVERY.toNanos() - 1);

  public SecretSealer(KeySource source) {
    this.source = Objects.requireNonNull(source, "source");
    this.ring = new AtomicReference<>(source.load());
  }

  /**
   * The sealer used where no key source is given (tests and benchmarks that start a control plane
   * directly): one random key per JVM, kept in memory only, so a store it sealed cannot be read
   * by another process. {@code wharf dev} and {@code wharf server} always give a key source.
   */
  public static SecretSealer inMemory() {
    return InMemory.SEALER;
  }

  private static final class InMemory {
    static final SecretSealer SEALER = new SecretSealer(KeySource.fixed(SecretKeyring.generate()));
  }

  public SecretKeyring keyring() {
    return ring.get();
  }

  public KeySource source() {
    return source;
  }

  /** Reads the key source again; the new keyring takes effect for every later call. */
  public SecretKeyring reload() {
    SecretKeyring next = source.load();
    ring.set(next);
    return next;
  }

  /** The data each value's ciphertext is bound to: {@code Secret/<namespace>/<name>#<entry>}. */
  public static String associatedData(String namespace, String name, String entry) {
    return "Secret/" + namespace + "/" + name + "#" + entry;
  }

  /** A copy of {@code secret} whose plaintext values are sealed with the active key (envelopes stay). */
  public ObjectNode seal(ObjectNode secret) {
    SecretKeyring keys = ring.get();
    return mapValues(secret, (entry, node) -> node.isTextual()
        ? keys.seal(node.asText(), aad(secret, entry)).toJson() : node);
  }

  /** A copy of {@code stored} with every envelope opened (plaintext values, from before sealing, stay). */
  public ObjectNode open(ObjectNode stored) {
    return mapValues(stored, (entry, node) -> Envelope.fromJson(node)
        .<JsonNode>map(e -> TextNode.valueOf(open(e, aad(stored, entry)))).orElse(node));
  }

  /** A copy of {@code stored} with every value sealed with the active key (opened first if need be). */
  public ObjectNode reseal(ObjectNode stored) {
    return seal(open(stored));
  }

  /** True when every value of {@code stored} is an envelope sealed with the active key. */
  public boolean sealedWithActiveKey(ObjectNode stored) {
    String active = ring.get().activeId();
    boolean[] all = {true};
    mapValues(stored, (entry, node) -> {
      if (Envelope.fromJson(node).map(e -> !e.keyId().equals(active)).orElse(node.isTextual())) {
        all[0] = false;
      }
      return node;
    });
    return all[0];
  }

  /** Seals one value with the active key, binding {@code associatedData}. */
  public Envelope seal(String plaintext, String associatedData) {
    return ring.get().seal(plaintext, associatedData);
  }

  /**
   * Opens one envelope sealed for {@code aad}; a key id this ring does not know re-reads the key
   * source first (at most once a second).
   *
   * @throws UnreadableSecretException naming the missing key id, or when it does not authenticate
   */
  public String open(Envelope envelope, String aad) {
    SecretKeyring keys = ring.get();
    long last = lastReload.get();
    long now = System.nanoTime();
    if (!keys.has(envelope.keyId()) && now - last > RELOAD_AT_MOST_EVERY.toNanos()
        && lastReload.compareAndSet(last, now)) {
      // A key another server (or the operator) added since this one read its source.
      try {
        keys = reload();
      } catch (IllegalArgumentException unreadable) {
        // keep the ring we have; the open below names the missing key
      }
    }
    return keys.open(envelope, aad);
  }

  private static String aad(ObjectNode secret, String entry) {
    JsonNode metadata = secret.path("metadata");
    return associatedData(metadata.path("namespace").asText("default"), metadata.path("name").asText(), entry);
  }

  /** Applies {@code f(entry, node)} to {@code spec.value} (entry "") and each {@code spec.data} entry. */
  private static ObjectNode mapValues(ObjectNode secret, java.util.function.BiFunction<String, JsonNode, JsonNode> f) {
    ObjectNode copy = secret.deepCopy();
    if (!(copy.get("spec") instanceof ObjectNode spec)) {
      return copy;
    }
    JsonNode value = spec.get("value");
    if (value != null && !value.isNull()) {
      spec.set("value", f.apply("", value));
    }
    if (spec.get("data") instanceof ObjectNode data) {
      for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue() != null && !e.getValue().isNull()) {
          e.setValue(f.apply(e.getKey(), e.getValue()));
        }
      }
    }
    return copy;
  }

  /** Exposed for {@link SecretRedaction}: the same walk over a secret's values. */
  static ObjectNode mapEachValue(ObjectNode secret, UnaryOperator<JsonNode> f) {
    return mapValues(secret, (entry, node) -> f.apply(node));
  }
}
