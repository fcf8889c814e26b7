package io.wharf.server.auth.login;

import java.time.Duration;

/**
 * How long failed logins lock a user or a source address out: the first {@link #FREE_FAILURES}
 * failures in a row cost nothing; each one after locks for {@link #BASE}, doubling per failure, at
 * most {@link #CAP}. Over a day that bounds TOTP guessing to about a hundred tries (one code in
 * ~3,300 per try with ±1 step): a 6-digit code is not guessable. Pure.
 */
public final class Lockout {
  public static final int FREE_FAILURES = 5;
  public static final Duration BASE = Duration.ofSeconds(30);
  public static final Duration CAP = Duration.ofMinutes(15);

  private Lockout() {}

  /** The lock after the {@code failures}-th failure in a row; zero while still free. */
  public static Duration after(int failures) {
    if (failures < FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - FREE_FAILURES, 20);
    Duration lock = BASE.multipliedBy(1L << doublings);
    return lock.compareTo(CAP) > 0 ? CAP : lock;
  }
}
