package io.wharf.server.auth.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored API token: never the token itself, only its SHA-256 ({@code hash}, hex). {@code id}
 * is the hash's first 12 hex digits, safe to show and to name the token by; {@code expires},
 * {@code lastUsed} and {@code revoked} are null when not set (yet).
 */
public record TokenRecord(String id, String hash, String principal, String description, Instant created,
    String createdBy, Instant expires, Instant lastUsed, Instant revoked) {
  public TokenRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(principal, "principal");
  }

  public TokenRecord usedAt(Instant when) {
    return new TokenRecord(id, hash, principal, description, created, createdBy, expires, when, revoked);
  }

  public TokenRecord revokedAt(Instant when) {
    return new TokenRecord(id, hash, principal, description, created, createdBy, expires, lastUsed, when);
  }
}
