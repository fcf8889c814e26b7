package io.wharf.server.auth.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.secrets.SealedKeyMaterial;
import io.wharf.server.secrets.SecretSealer;
import io.wharf.server.secrets.UnreadableSecretException;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Users' login credentials and login state in the store, apart from the user principals
 * themselves (the authcore lane's):
 * <ul>
 *   <li>{@code /wharf/auth/credentials/<user>}: the password hash ({@link PasswordHasher}) and the
 *       TOTP secret when enrolled. Never returned by any API. The TOTP secret is sealed with the
 *       secrets keyring ({@link SealedKeyMaterial}, bound to this store key) and opened only in
 *       memory; one an earlier version stored in plaintext is still read, and sealed at the next
 *       start.</li>
 *   <li>{@code /wharf/auth/login-state/<user>}: failed attempts in a row, locked until when, and the
 *       last TOTP step accepted — in the store, so the lockout and the no-replay rule hold across
 *       servers and restarts.</li>
 * </ul>
 * Updates are compare-and-set on the key's revision, retried on a lost race. Thread-safe.
 */
public final class UserCredentials {
  public static final String CREDENTIALS = "/wharf/auth/credentials/";
  public static final String STATE = "/wharf/auth/login-state/";
  /** User names as principals have them: lower-case letters, digits, '.', '_', '-', '@'; at most 128. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,127}");

  private final Store store;
  private final ObjectMapper json;
  private final InstantSource clock;
  private final SecretSealer sealer;

  /** A user's stored credentials; {@code totpSecret} null when not enrolled. */
  public record Stored(String passwordHash, String totpSecret) {
    @Override
    public String toString() {
      return "Stored[passwordHash=(hidden), totp=" + (totpSecret == null ? "off" : "on") + "]";
    }
  }

  /** A user's login state: failures in a row, locked until (or null), last accepted TOTP step (or empty). */
  public record State(int failures, Instant lockedUntil, OptionalLong lastTotpStep) {
    public static final State FRESH = new State(0, null, OptionalLong.empty());
  }

  public UserCredentials(Store store, ObjectMapper json, InstantSource clock) {
    this(store, json, clock, SecretSealer.inMemory());
  }

  /** Credentials whose TOTP secrets are sealed with {@code sealer}'s keyring. */
  public UserCredentials(Store store, ObjectMapper json, InstantSource clock, SecretSealer sealer) {
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.sealer = sealer;
  }

  /** Where the sealed TOTP secrets are ({@link SealedKeyMaterial}). */
  public static SealedKeyMaterial.Location sealedLocation() {
    return new SealedKeyMaterial.Location(CREDENTIALS, "totpSecret");
  }

  /** Why {@code user} is not a usable user name, or empty when it is. */
  public static Optional<String> nameProblem(String user) {
    if (user == null || user.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (!NAME.matcher(user).matches()) {
      return Optional.of("must be 1-128 characters of a-z, 0-9, '.', '_', '@', '-', starting with a letter or digit");
    }
    return Optional.empty();
  }

  public Optional<Stored> get(String user) {
    return store.get(CREDENTIALS + user).map(this::stored);
  }

  private Stored stored(KeyValue kv) {
    JsonNode n = read(kv);
    String totp = null;
    if (n.hasNonNull("totpSecret")) {
      try {
        totp = SealedKeyMaterial.open(sealer, n.get("totpSecret"), kv.key());
      } catch (UnreadableSecretException e) {
        throw new IllegalStateException("the TOTP secret in " + kv.key() + " cannot be opened: " + e.getMessage(), e);
      }
    }
    return new Stored(n.path("passwordHash").asText(null), totp);
  }

  /** Sets (or replaces) the password hash, keeping the TOTP enrolment. */
  public void setPassword(String user, String hash) {
    update(user, old -> new Stored(hash, old == null ? null : old.totpSecret()));
  }

  /** Sets or clears the TOTP secret; false when the user has no credentials yet. */
  public boolean setTotp(String user, String secret) {
    if (get(user).isEmpty()) {
      return false;
    }
    update(user, old -> old == null ? null : new Stored(old.passwordHash(), secret));
    return true;
  }

  /** Deletes a user's credentials and login state (the user can no longer log in). */
  public void delete(String user) {
    store.txn(Txn.of(List.of(), List.of(new Txn.Delete(CREDENTIALS + user), new Txn.Delete(STATE + user))));
  }

  private void update(String user, UnaryOperator<Stored> change) {
    for (int attempt = 0; attempt < 20; attempt++) {
      Optional<KeyValue> kv = store.get(CREDENTIALS + user);
      Stored old = kv.map(this::stored).orElse(null);
      Stored next = change.apply(old);
      if (next == null) {
        return;
      }
      ObjectNode n = json.createObjectNode();
      n.put("passwordHash", next.passwordHash());
      if (next.totpSecret() != null) {
        n.set("totpSecret", SealedKeyMaterial.seal(sealer, next.totpSecret(), CREDENTIALS + user));
      }
      n.put("updatedAt", clock.instant().toString());
      if (store.txn(Txn.of(List.of(new Txn.Compare(CREDENTIALS + user, kv.map(KeyValue::modRevision).orElse(0L))),
          List.of(new Txn.Put(CREDENTIALS + user, write(n))))).succeeded()) {
        return;
      }
    }
    throw new IllegalStateException("credentials of " + user + " keep changing; try again");
  }

  /** A login state as read, with the revision to compare against when writing it back. */
  public record Versioned(State state, long modRevision) {}

  public Versioned state(String user) {
    return store.get(STATE + user).map(kv -> {
      JsonNode n = read(kv);
      Instant locked = n.hasNonNull("lockedUntil") ? Instant.parse(n.path("lockedUntil").asText()) : null;
      OptionalLong step = n.hasNonNull("lastTotpStep") ? OptionalLong.of(n.path("lastTotpStep").asLong())
          : OptionalLong.empty();
      return new Versioned(new State(n.path("failures").asInt(0), locked, step), kv.modRevision());
    }).orElse(new Versioned(State.FRESH, 0));
  }

  /** Writes {@code next} if the state is still at {@code read}'s revision; false on a lost race. */
  public boolean replaceState(String user, Versioned read, State next) {
    ObjectNode n = json.createObjectNode();
    n.put("failures", next.failures());
    if (next.lockedUntil() != null) {
      n.put("lockedUntil", next.lockedUntil().toString());
    }
    next.lastTotpStep().ifPresent(s -> n.put("lastTotpStep", s));
    return store.txn(Txn.of(List.of(new Txn.Compare(STATE + user, read.modRevision())),
        List.of(new Txn.Put(STATE + user, write(n))))).succeeded();
  }

  private JsonNode read(KeyValue kv) {
    try {
      return json.readTree(kv.value());
    } catch (IOException e) {
      throw new IllegalStateException(kv.key() + " cannot be read: " + e.getMessage(), e);
    }
  }

  private byte[] write(JsonNode n) {
    try {
      return json.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
