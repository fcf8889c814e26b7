package io.wharf.server.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Join tokens: what lets an agent that holds no certificate yet obtain its first node
 * certificate. A token is {@code ID.SECRET} (8 and 32 hex digits, 128 random bits of secret);
 * it is shown once when created, and only the SHA-256 of the secret is stored, under
 * {@value #PREFIX}{@code ID} (outside {@code /wharf/r/}: no API route reads it back).
 *
 * <p>A token is <b>single-use and expires</b> (default {@link #DEFAULT_TTL}, at most
 * {@link #MAX_TTL}): {@link #consume} marks it used in a transaction that compares its revision,
 * so two agents racing with one token cannot both join. Used and expired records are kept a day
 * (so a reused token is told "already used", not "unknown"), then pruned when tokens are created.
 *
 * <p>Thread safety: stateless over the store; safe from any thread.
 */
public final class JoinTokens {
  public static final String PREFIX = "/wharf/tls/join-tokens/";
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);
  public static final Duration MAX_TTL = Duration.ofDays(7);
  private static final Duration KEEP_SPENT = Duration.ofDays(1);
  private static final Pattern TOKEN = Pattern.compile("([0-9a-f]{8})\\.([0-9a-f]{32})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;
  private final ObjectMapper json;
  private final InstantSource clock;

  public JoinTokens(Store store, ObjectMapper json, InstantSource clock) {
    this.store = store;
    this.json = json;
    this.clock = clock;
  }

  /** A token as listed: never its secret. {@code usedBy} is the node that joined with it (null: unused). */
  public record Listed(String id, Instant created, Instant expires, String createdBy, String usedBy, Instant usedAt) {}

  /** A new token, the only time its full text exists. */
  public record Created(String id, String token, Instant expires) {}

  /** Why a join token was refused; the message is what the agent is told (401). */
  public static final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  public Created create(Duration ttl, String createdBy) {
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be between 1s and " + MAX_TTL.toHours() + "h, got " + ttl);
    }
    Instant now = clock.instant();
    prune(now);
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    String hex = HexFormat.of().formatHex(bytes);
    String id = hex.substring(0, 8);
    String secret = hex.substring(8);
    Instant expires = now.plus(ttl);
    ObjectNode record = json.createObjectNode().put("hash", hash(secret)).put("created", now.toString())
        .put("expires", expires.toString()).put("createdBy", createdBy);
    if (!store.txn(Txn.of(List.of(Txn.Compare.absent(PREFIX + id)), List.of(new Txn.Put(PREFIX + id, bytes(record)))))
        .succeeded()) {
      return create(ttl, createdBy); // 32 random bits of id collided: draw again
    }
    return new Created(id, id + "." + secret, expires);
  }

  /**
   * Spends {@code token} for {@code node}, or throws {@link Refused} with exactly one of:
   * "join token malformed", "join token unknown", "join token expired", "join token already used".
   */
  public void consume(String token, String node) {
    var m = TOKEN.matcher(token == null ? "" : token.strip());
    if (!m.matches()) {
      throw new Refused("join token malformed (expected ID.SECRET from wharf node join-token create)");
    }
    String key = PREFIX + m.group(1);
    Optional<KeyValue> kv = store.get(key);
    if (kv.isEmpty()) {
      throw new Refused("join token unknown");
    }
    ObjectNode record = read(kv.get());
    if (!MessageDigest.isEqual(hash(m.group(2)).getBytes(StandardCharsets.US_ASCII),
        record.path("hash").asText().getBytes(StandardCharsets.US_ASCII))) {
      throw new Refused("join token unknown");
    }
    Instant now = clock.instant();
    if (record.hasNonNull("usedBy")) {
      throw new Refused("join token already used");
    }
    if (!now.isBefore(Instant.parse(record.path("expires").asText()))) {
      throw new Refused("join token expired");
    }
    record.put("usedBy", node).put("usedAt", now.toString());
    boolean spent = store.txn(Txn.of(List.of(new Txn.Compare(key, kv.get().modRevision())),
        List.of(new Txn.Put(key, bytes(record))))).succeeded();
    if (!spent) {
      throw new Refused("join token already used"); // another agent spent it between our read and write
    }
  }

  /** Every kept token, oldest first. */
  public List<Listed> list() {
    List<Listed> all = new ArrayList<>();
    for (KeyValue kv : store.range(PREFIX).kvs()) {
      JsonNode r = read(kv);
      all.add(new Listed(kv.key().substring(PREFIX.length()), Instant.parse(r.path("created").asText()),
          Instant.parse(r.path("expires").asText()), r.path("createdBy").asText(null),
          r.path("usedBy").asText(null), r.hasNonNull("usedAt") ? Instant.parse(r.path("usedAt").asText()) : null));
    }
    all.sort(java.util.Comparator.comparing(Listed::created));
    return all;
  }

  /** Deletes a token (used or not); false when there is none with that id. */
  public boolean revoke(String id) {
    Optional<KeyValue> kv = store.get(PREFIX + id);
    if (kv.isEmpty()) {
      return false;
    }
    store.txn(Txn.of(List.of(), List.of(new Txn.Delete(PREFIX + id))));
    return true;
  }

  private void prune(Instant now) {
    List<Txn.Op> deletes = new ArrayList<>();
    for (Listed t : list()) {
      Instant spent = t.usedAt() != null ? t.usedAt() : t.expires();
      if (spent.plus(KEEP_SPENT).isBefore(now)) {
        deletes.add(new Txn.Delete(PREFIX + t.id()));
      }
    }
    if (!deletes.isEmpty()) {
      store.txn(Txn.of(List.of(), deletes));
    }
  }

  private ObjectNode read(KeyValue kv) {
    try {
      return (ObjectNode) json.readTree(kv.value());
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("unreadable join token record " + kv.key(), e);
    }
  }

  private byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
