package io.wharf.server.auth.login;

import io.wharf.server.auth.Principal;
import io.wharf.server.auth.jwt.SignedTokens;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A user logging in with password and, when enrolled, a TOTP code, for a short-lived signed
 * token ({@link SignedTokens}). The answer never says which part was wrong, and failures lock
 * the user (in the store) and the source address (in memory) out per {@link Lockout}; a locked
 * attempt is not even checked. A TOTP step is accepted once per user: the last accepted step is
 * written in the same compare-and-set as the reset of the failure count, so two servers given
 * the same code at once accept it once. Thread-safe.
 */
public final class Login {
  /** The one message of every refused login. */
  public static final String REFUSED = "wrong user name, password or code";
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  private final UserCredentials credentials;
  private final PasswordHasher hasher;
  private final SignedTokens tokens;
  private final FailureThrottle addresses;
  private final FailureThrottle unknownUsers = new FailureThrottle();
  private final InstantSource clock;
  private final Duration defaultLifetime;

  /** What a login attempt came to. */
  public sealed interface Outcome permits Granted, Refused, Throttled {}

  public record Granted(Principal principal, SignedTokens.Issued token) implements Outcome {}

  public record Refused() implements Outcome {}

  /** Too many failures: try again after {@code retryAfter}. */
  public record Throttled(Duration retryAfter) implements Outcome {}

  public Login(UserCredentials credentials, PasswordHasher hasher, SignedTokens tokens, FailureThrottle addresses,
      InstantSource clock, Duration defaultLifetime) {
    this.credentials = credentials;
    this.hasher = hasher;
    this.tokens = tokens;
    this.addresses = addresses;
    this.clock = clock;
    this.defaultLifetime = Objects.requireNonNull(defaultLifetime, "defaultLifetime");
    if (defaultLifetime.compareTo(tokens.maxLifetime()) > 0) {
      throw new IllegalArgumentException("default token lifetime " + defaultLifetime + " is over the cap "
          + tokens.maxLifetime());
    }
  }

  public Duration defaultLifetime() {
    return defaultLifetime;
  }

  public Duration maxLifetime() {
    return tokens.maxLifetime();
  }

  /**
   * Checks {@code password} (cleared afterwards) and {@code code} for {@code user}, from
   * {@code address}; a granted token lives {@code lifetime} (null: the default; capped).
   */
  public Outcome login(String user, char[] password, String code, String address, Duration lifetime) {
    try {
      Instant now = clock.instant();
      Optional<Duration> addressWait = addresses.retryAfter(address, now);
      if (addressWait.isPresent()) {
        return new Throttled(addressWait.get());
      }
      Optional<UserCredentials.Stored> stored = credentials.get(user);
      if (stored.isEmpty() || stored.get().passwordHash() == null) {
        // Answered as for a real user — the same time, the same lockout — so nothing tells it is unknown.
        Optional<Duration> userWait = unknownUsers.retryAfter(user, now);
        if (userWait.isPresent()) {
          return new Throttled(userWait.get());
        }
        hasher.verifyNothing(password);
        unknownUsers.failed(user, now);
        addresses.failed(address, now);
        return new Refused();
      }
      UserCredentials.Versioned state = credentials.state(user);
      Instant locked = state.state().lockedUntil();
      if (locked != null && locked.isAfter(now)) {
        return new Throttled(Duration.between(now, locked));
      }
      boolean passwordOk = hasher.verify(password, stored.get().passwordHash());
      String secret = stored.get().totpSecret();
      OptionalLong step = secret == null ? OptionalLong.empty() : Totp.match(secret, code, now);
      boolean codeOk = secret == null || step.isPresent();
      if (passwordOk && codeOk && accept(user, state, step, now)) {
        if (hasher.outdated(stored.get().passwordHash())) {
          credentials.setPassword(user, hasher.hash(password));
        }
        Duration ttl = lifetime == null ? defaultLifetime : lifetime;
        if (ttl.compareTo(tokens.maxLifetime()) > 0) {
          ttl = tokens.maxLifetime();
        }
        Principal principal = Principal.user(user);
        return new Granted(principal, tokens.issue(principal, ttl));
      }
      fail(user, now);
      addresses.failed(address, now);
      return new Refused();
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * Records a success: failures back to zero and, with TOTP, the step taken; false when the
   * step was (meanwhile) already used — a replay.
   */
  private boolean accept(String user, UserCredentials.Versioned read, OptionalLong step, Instant now) {
    UserCredentials.Versioned state = read;
    for (int attempt = 0; attempt < 20; attempt++) {
      OptionalLong last = state.state().lastTotpStep();
      if (step.isPresent() && last.isPresent() && step.getAsLong() <= last.getAsLong()) {
        return false;
      }
      Instant locked = state.state().lockedUntil();
      if (attempt > 0 && locked != null && locked.isAfter(now)) {
        return false; // locked by failures that raced in meanwhile
      }
      UserCredentials.State next = new UserCredentials.State(0, null, step.isPresent() ? step : last);
      if (credentials.replaceState(user, state, next)) {
        return true;
      }
      state = credentials.state(user);
    }
    throw new IllegalStateException("login state of " + user + " keeps changing; try again");
  }

  private void fail(String user, Instant now) {
    for (int attempt = 0; attempt < 20; attempt++) {
      UserCredentials.Versioned state = credentials.state(user);
      int failures = state.state().failures() + 1;
      Duration lock = Lockout.after(failures);
      UserCredentials.State next = new UserCredentials.State(failures, lock.isZero() ? null : now.plus(lock),
          state.state().lastTotpStep());
      if (credentials.replaceState(user, state, next)) {
        return;
      }
    }
  }
}
