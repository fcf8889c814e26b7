package io.wharf.server.auth.identity;

import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-lived API tokens: {@code wharf_} + 32 random bytes (base64url). The token is returned once,
 * by {@link #create}; the store keeps only its SHA-256 (a high-entropy secret needs no slow
 * hash). As an {@link Authenticator} it answers for every bearer starting with {@code wharf_}:
 * unknown → "bad token", revoked → "token revoked", past its expiry → "token expired". The record
 * comes from the server's {@link AuthCache} while it is synced ({@link AuthRecords#tokenForAuthentication}),
 * so a known token costs no store read.
 *
 * <p>Last use: an authentication only records the time in memory; a virtual thread writes the
 * times of the tokens used since its last pass every {@code flushEvery} (and on close), one
 * compare-and-set per token, so a busy token costs one store write per period, not per call.
 * {@link #list} shows the newer of the stored and the pending time.
 */
public final class ApiTokens implements Authenticator, AutoCloseable {
  public static final String PREFIX = "wharf_";
  private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AuthRecords records;
  private final InstantSource clock;
  private final Map<String, Instant> pendingUse = new ConcurrentHashMap<>(); // hash -> last use not yet stored
  private final Thread flusher;
  private volatile boolean closed;

  /** A token as created: the secret (shown once) and what is stored about it. */
  public record Issued(String token, TokenRecord record) {
    @Override
    public String toString() {
      return "Issued[" + record.id() + "]";
    }
  }

  public ApiTokens(AuthRecords records, InstantSource clock, Duration flushEvery) {
    this.records = records;
    this.clock = clock;
    this.flusher = Thread.ofVirtual().name("wharf-token-last-used").start(() -> {
      while (!closed) {
        try {
          Thread.sleep(flushEvery);
        } catch (InterruptedException e) {
          break;
        }
        flush();
      }
    });
  }

  /** A new random token string. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The record of {@code token} as it would be stored (not stored here). */
  static TokenRecord recordOf(String token, String principal, String description, Instant created, String createdBy,
      Instant expires) {
    String hash = hash(token);
    return new TokenRecord(hash.substring(0, 12), hash, principal, description, created, createdBy, expires, null, null);
  }

  /**
   * Stores a new token of {@code principal} (whose record must still be at
   * {@code principalRevision}); empty when that changed meanwhile.
   */
  public Optional<Issued> create(String principal, long principalRevision, String description, Instant expires,
      String createdBy) {
    String token = newSecret();
    TokenRecord record = recordOf(token, principal, description, clock.instant(), createdBy, expires);
    if (!records.createToken(record, principal, principalRevision)) {
      return Optional.empty();
    }
    return Optional.of(new Issued(token, record));
  }

  /** Every token (or those of one principal when not null), last use brought up to date. */
  public List<TokenRecord> list(String principal) {
    List<TokenRecord> out = new ArrayList<>();
    for (TokenRecord t : records.tokens()) {
      if (principal != null && !principal.equals(t.principal())) {
        continue;
      }
      Instant pending = pendingUse.get(t.hash());
      out.add(pending != null && (t.lastUsed() == null || pending.isAfter(t.lastUsed())) ? t.usedAt(pending) : t);
    }
    return out;
  }

  /** Marks a token revoked (it stays listed); empty when there is no such token. Idempotent. */
  public Optional<TokenRecord> revoke(String id) {
    while (true) {
      var found = records.tokenById(id);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      TokenRecord t = found.get().value();
      if (t.revoked() != null) {
        return Optional.of(t);
      }
      TokenRecord revoked = t.revokedAt(clock.instant());
      if (records.replaceToken(revoked, found.get().modRevision())) {
        return Optional.of(revoked);
      }
    }
  }

  @Override
  public Optional<Principal> authenticate(Credentials credentials) {
    String bearer = credentials.bearer();
    if (bearer == null || !bearer.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String hash = hash(bearer);
    TokenRecord t = records.tokenForAuthentication(hash).orElseThrow(() -> new AuthenticationException("bad token"));
    if (t.revoked() != null) {
      throw new AuthenticationException("token revoked");
    }
    Instant now = clock.instant();
    if (t.expires() != null && !now.isBefore(t.expires())) {
      throw new AuthenticationException("token expired");
    }
    Principal p = Principal.parse(t.principal()).orElseThrow(() -> new AuthenticationException("bad token"));
    pendingUse.merge(hash, now, (a, b) -> a.isAfter(b) ? a : b);
    return Optional.of(p);
  }

  /** Stores the pending last-use times (one compare-and-set each; a lost race retries next pass). */
  void flush() {
    for (String hash : List.copyOf(pendingUse.keySet())) {
      Instant used = pendingUse.remove(hash);
      if (used == null) {
        continue;
      }
      try {
        var found = records.tokenByHash(hash);
        if (found.isEmpty()) {
          continue;
        }
        TokenRecord t = found.get().value();
        if (t.lastUsed() != null && !used.isAfter(t.lastUsed())) {
          continue;
        }
        if (!records.replaceToken(t.usedAt(used), found.get().modRevision())) {
          pendingUse.merge(hash, used, (a, b) -> a.isAfter(b) ? a : b);
        }
      } catch (RuntimeException e) {
        pendingUse.merge(hash, used, (a, b) -> a.isAfter(b) ? a : b);
        log.info("could not record a token's last use: {}", e.getMessage());
        return;
      }
    }
  }

  /** Stops the flusher after one last flush. */
  @Override
  public void close() {
    closed = true;
    flusher.interrupt();
    try {
      flusher.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
