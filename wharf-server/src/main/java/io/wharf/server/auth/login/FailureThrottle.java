package io.wharf.server.auth.login;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per key kept in this server's memory, with the same {@link Lockout} as the
 * per-user lockout in the store: per source address, so one address cannot try many users'
 * passwords (or codes) quickly; and per name of a user that does not exist, so such a name is
 * locked out like a real one (no tell which names exist). Per server: N servers let an address
 * try N times as often; the per-user lockout of real users, in the store, holds across servers.
 * A key forgets its failures after {@link #FORGET} without one; at most {@link #MAX_KEYS} are
 * tracked (idle ones are dropped first). Thread-safe: each key is updated atomically in
 * {@link ConcurrentHashMap#compute}.
 */
public final class FailureThrottle {
  static final Duration FORGET = Duration.ofHours(1);
  static final int MAX_KEYS = 100_000;

  private record Entry(int failures, Instant lockedUntil, Instant lastFailure) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /** How long {@code key} must still wait, or empty when it may try now. */
  public Optional<Duration> retryAfter(String address, Instant now) {
    Entry e = entries.get(key(address));
    if (e == null || e.lockedUntil() == null || !e.lockedUntil().isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, e.lockedUntil()));
  }

  public void failed(String address, Instant now) {
    if (entries.size() >= MAX_KEYS) {
      entries.values().removeIf(e -> e.lastFailure().plus(FORGET).isBefore(now));
    }
    entries.compute(key(address), (k, e) -> {
      int failures = e == null || e.lastFailure().plus(FORGET).isBefore(now) ? 1 : e.failures() + 1;
      Duration lock = Lockout.after(failures);
      return new Entry(failures, lock.isZero() ? null : now.plus(lock), now);
    });
  }

  private static String key(String address) {
    return address == null ? "unknown" : address;
  }
}
