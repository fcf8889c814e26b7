package io.wharf.server.auth.login;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per source address, with the same {@link Lockout} as per user, so one address
 * cannot try many users' passwords (or codes) quickly. Kept in this server's memory: an address
 * is bounded per server (N servers let it try N times as often); the per-user lockout, in the
 * store, holds across servers. An address forgets its failures after {@link #FORGET} without
 * one; at most {@link #MAX_ADDRESSES} are tracked (the oldest idle ones are dropped first).
 * Thread-safe: each address is updated atomically in {@link ConcurrentHashMap#compute}.
 */
public final class AddressThrottle {
  static final Duration FORGET = Duration.ofHours(1);
  static final int MAX_ADDRESSES = 100_000;

  private record Entry(int failures, Instant lockedUntil, Instant lastFailure) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /** How long {@code address} must still wait, or empty when it may try now. */
  public Optional<Duration> retryAfter(String address, Instant now) {
    Entry e = entries.get(key(address));
    if (e == null || e.lockedUntil() == null || !e.lockedUntil().isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, e.lockedUntil()));
  }

  public void failed(String address, Instant now) {
    if (entries.size() >= MAX_ADDRESSES) {
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
