package io.wharf.scheduler.feasible;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Orders versions written as dotted numbers with an optional leading {@code v}: {@code 1.10},
 * {@code v2.3.4}. Parts compare as numbers ({@code 1.10 > 1.9}); missing parts count as 0
 * ({@code 1.2 == 1.2.0}). Anything else (pre-release suffixes, words) is not a version: a version
 * constraint never holds for it, so a node reporting {@code 1.2-rc1} is not placed on by
 * {@code >= 1.0} rather than guessed at.
 */
public final class VersionOrder {
  private static final Pattern VERSION = Pattern.compile("[vV]?\\d+(\\.\\d+)*");

  private VersionOrder() {}

  public static Optional<BigInteger[]> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    if (!VERSION.matcher(t).matches()) {
      return Optional.empty();
    }
    if (t.charAt(0) == 'v' || t.charAt(0) == 'V') {
      t = t.substring(1);
    }
    return Optional.of(Arrays.stream(t.split("\\.")).map(BigInteger::new).toArray(BigInteger[]::new));
  }

  public static int compare(BigInteger[] a, BigInteger[] b) {
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      BigInteger x = i < a.length ? a[i] : BigInteger.ZERO;
      BigInteger y = i < b.length ? b[i] : BigInteger.ZERO;
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
