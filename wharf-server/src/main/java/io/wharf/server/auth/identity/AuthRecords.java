package io.wharf.server.auth.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The auth records in the store, as JSON under {@code /wharf/auth/}: {@code principals/ID},
 * {@code roles/NAME}, {@code tokens/HASH}. Writes are single transactions that compare the
 * revision they read (or the key's absence), so two servers never overwrite each other's change.
 *
 * <p>Reads for a change (compare-and-set) go to the store. Reads for authenticating and
 * authorising a call ({@link #tokenForAuthentication}, {@link #principalForAuthorization},
 * {@link #roleForAuthorization}) come from the server's {@link AuthCache} while it is synced, else
 * from the store; every committed write is handed to the cache before the writing call returns.
 * Thread-safe (stateless over the store and the cache).
 */
public final class AuthRecords {
  public static final String ROOT = "/wharf/auth/";
  static final String PRINCIPALS = ROOT + "principals/";
  static final String ROLES = ROOT + "roles/";
  static final String TOKENS = ROOT + "tokens/";
  static final String BOOTSTRAP = ROOT + "bootstrap";

  /** How long authenticating with a token the cache does not know yet waits for the watch to bring it. */
  static final java.time.Duration CATCH_UP = java.time.Duration.ofSeconds(2);

  private final Store store;
  private final ObjectMapper json;
  private final AuthCache cache; // null: every read goes to the store

  /** Without a cache: every read goes to the store (tests, tools). */
  public AuthRecords(Store store, ObjectMapper json) {
    this(store, json, null);
  }

  /** Authentication reads from {@code cache} while it is synced; writes are handed to it. */
  public AuthRecords(Store store, ObjectMapper json, AuthCache cache) {
    this.store = store;
    this.json = json;
    this.cache = cache;
  }

  Store store() {
    return store;
  }

  /** A stored value and the revision it was read at, for a compare-and-set write. */
  public record Versioned<T>(T value, long modRevision) {}

  public Optional<Versioned<PrincipalRecord>> principal(String id) {
    return read(PRINCIPALS + id, PrincipalRecord.class);
  }

  public List<PrincipalRecord> principals() {
    return list(PRINCIPALS, PrincipalRecord.class);
  }

  public Optional<Versioned<RoleRecord>> role(String name) {
    return read(ROLES + name, RoleRecord.class);
  }

  public List<RoleRecord> roles() {
    return list(ROLES, RoleRecord.class);
  }

  public Optional<Versioned<TokenRecord>> tokenByHash(String hash) {
    return read(TOKENS + hash, TokenRecord.class);
  }

  /** The token whose id (the hash's first 12 hex digits) is {@code id}. */
  public Optional<Versioned<TokenRecord>> tokenById(String id) {
    if (!id.matches("[0-9a-f]{12}")) {
      return Optional.empty();
    }
    List<KeyValue> kvs = store.range(TOKENS + id).kvs();
    return kvs.isEmpty() ? Optional.empty()
        : Optional.of(new Versioned<>(decode(kvs.getFirst(), TokenRecord.class), kvs.getFirst().modRevision()));
  }

  /**
   * The token record to authenticate a call with: the cache's while it is synced, else the
   * store's. A token the synced cache does not know is looked up in the store (it may have been
   * made on another server a moment ago); when found there, this waits (at most {@link #CATCH_UP})
   * for the cache to reach its revision, so the principal and grants that came with it are seen too.
   */
  public Optional<TokenRecord> tokenForAuthentication(String hash) {
    if (cache != null && cache.synced()) {
      Optional<TokenRecord> cached = cache.token(hash);
      if (cached.isPresent()) {
        return cached;
      }
      Optional<Versioned<TokenRecord>> stored = tokenByHash(hash);
      stored.ifPresent(v -> awaitCache(v.modRevision()));
      return stored.map(Versioned::value);
    }
    return tokenByHash(hash).map(Versioned::value);
  }

  /** The principal to authorise a call with: the synced cache's (authoritative), else the store's. */
  public Optional<PrincipalRecord> principalForAuthorization(String id) {
    return cache != null && cache.synced() ? cache.principal(id) : principal(id).map(Versioned::value);
  }

  /** The custom role to authorise a call with: the synced cache's (authoritative), else the store's. */
  public Optional<RoleRecord> roleForAuthorization(String name) {
    return cache != null && cache.synced() ? cache.role(name) : role(name).map(Versioned::value);
  }

  private void awaitCache(long revision) {
    try {
      cache.awaitRevision(revision, CATCH_UP);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public List<TokenRecord> tokens() {
    return list(TOKENS, TokenRecord.class);
  }

  /** Creates {@code p} if no principal of its id exists; false when one does. */
  public boolean createPrincipal(PrincipalRecord p) {
    return commit(Txn.of(List.of(Txn.Compare.absent(PRINCIPALS + p.id())),
        List.of(new Txn.Put(PRINCIPALS + p.id(), encode(p)))));
  }

  /** Replaces a principal read at {@code modRevision}; false when it changed or went away since. */
  public boolean replacePrincipal(PrincipalRecord p, long modRevision) {
    return commit(Txn.of(List.of(new Txn.Compare(PRINCIPALS + p.id(), modRevision)),
        List.of(new Txn.Put(PRINCIPALS + p.id(), encode(p)))));
  }

  /** Deletes a principal and every token of it, in one transaction. */
  public boolean deletePrincipal(String id, long modRevision) {
    List<Txn.Op> ops = new ArrayList<>();
    ops.add(new Txn.Delete(PRINCIPALS + id));
    for (TokenRecord t : tokens()) {
      if (t.principal().equals(id)) {
        ops.add(new Txn.Delete(TOKENS + t.hash()));
      }
    }
    return commit(Txn.of(List.of(new Txn.Compare(PRINCIPALS + id, modRevision)), ops));
  }

  public boolean createRole(RoleRecord r) {
    return commit(Txn.of(List.of(Txn.Compare.absent(ROLES + r.name())),
        List.of(new Txn.Put(ROLES + r.name(), encode(r)))));
  }

  public boolean replaceRole(RoleRecord r, long modRevision) {
    return commit(Txn.of(List.of(new Txn.Compare(ROLES + r.name(), modRevision)),
        List.of(new Txn.Put(ROLES + r.name(), encode(r)))));
  }

  public boolean deleteRole(String name, long modRevision) {
    return commit(Txn.of(List.of(new Txn.Compare(ROLES + name, modRevision)),
        List.of(new Txn.Delete(ROLES + name))));
  }

  /** Stores a new token (its principal must still be at {@code principalRevision}, 0 = anything). */
  public boolean createToken(TokenRecord t, String principalId, long principalRevision) {
    List<Txn.Compare> compares = new ArrayList<>();
    compares.add(Txn.Compare.absent(TOKENS + t.hash()));
    if (principalRevision > 0) {
      compares.add(new Txn.Compare(PRINCIPALS + principalId, principalRevision));
    }
    return commit(Txn.of(compares, List.of(new Txn.Put(TOKENS + t.hash(), encode(t)))));
  }

  public boolean replaceToken(TokenRecord t, long modRevision) {
    return commit(Txn.of(List.of(new Txn.Compare(TOKENS + t.hash(), modRevision)),
        List.of(new Txn.Put(TOKENS + t.hash(), encode(t)))));
  }

  /**
   * The first start's writes, all or nothing: the bootstrap marker, the admin principal and its
   * token. False when the marker exists (another start, maybe on another server, did it).
   */
  boolean bootstrap(PrincipalRecord admin, TokenRecord token) {
    return commit(Txn.of(List.of(Txn.Compare.absent(BOOTSTRAP)), List.of(
        new Txn.Put(BOOTSTRAP, encode(java.util.Map.of("principal", admin.id(), "token", token.id(),
            "at", String.valueOf(token.created())))),
        new Txn.Put(PRINCIPALS + admin.id(), encode(admin)),
        new Txn.Put(TOKENS + token.hash(), encode(token)))));
  }

  /** Commits {@code txn}; when it succeeded, hands its writes to the cache before returning. */
  private boolean commit(Txn txn) {
    var result = store.txn(txn);
    if (result.succeeded() && cache != null) {
      cache.committed(txn.onSuccess(), result.revision());
    }
    return result.succeeded();
  }

  private <T> Optional<Versioned<T>> read(String key, Class<T> type) {
    return store.get(key).map(kv -> new Versioned<>(decode(kv, type), kv.modRevision()));
  }

  private <T> List<T> list(String prefix, Class<T> type) {
    List<T> out = new ArrayList<>();
    String after = null;
    while (true) {
      var page = store.range(prefix, after, 1000);
      for (KeyValue kv : page.kvs()) {
        out.add(decode(kv, type));
        after = kv.key();
      }
      if (!page.more()) {
        return out;
      }
    }
  }

  private byte[] encode(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> T decode(KeyValue kv, Class<T> type) {
    try {
      return json.readValue(kv.value(), type);
    } catch (IOException e) {
      throw new IllegalStateException("stored " + kv.key() + " is not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
