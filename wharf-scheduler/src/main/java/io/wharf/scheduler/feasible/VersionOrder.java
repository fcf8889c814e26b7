package io.wharf.scheduler.feasible;

/**
 * Orders versions written as dotted numbers with an optional leading {@code v}: {@code 1.10},
 * {@code v2.3.4}. Parts compare as numbers of any length ({@code 1.10 > 1.9}); missing parts count
 * as 0 ({@code 1.2 == 1.2.0}). Anything else (pre-release suffixes, words, empty parts) is not a
 * version: a version constraint never holds for it, so a node reporting {@code 1.2-rc1} is not
 * placed on by {@code >= 1.0} rather than guessed at. Allocation-free: it runs once per node per
 * constrained demand.
 */
public final class VersionOrder {
  /** What {@link #compare} returns when either side is not a version. */
  public static final int NOT_VERSIONS = Integer.MIN_VALUE;

  private VersionOrder() {}

  public static boolean isVersion(String text) {
    return text != null && compare(text, text) == 0;
  }

  /** Negative, zero or positive as {@code a} is older, equal or newer than {@code b}; {@link #NOT_VERSIONS} otherwise. */
  public static int compare(String a, String b) {
    if (a == null || b == null) {
      return NOT_VERSIONS;
    }
    int i = start(a);
    int j = start(b);
    if (i >= a.length() || j >= b.length()) {
      return NOT_VERSIONS;
    }
    int result = 0;
    while (i < a.length() || j < b.length()) {
      int ie = partEnd(a, i);
      int je = partEnd(b, j);
      if (ie < 0 || je < 0) {
        return NOT_VERSIONS;
      }
      if (result == 0) {
        result = comparePart(a, i, ie, b, j, je);
      }
      i = next(a, ie);
      j = next(b, je);
      if (i == -2 || j == -2) {
        return NOT_VERSIONS;
      }
    }
    return result;
  }

  private static int start(String s) {
    return !s.isEmpty() && (s.charAt(0) == 'v' || s.charAt(0) == 'V') ? 1 : 0;
  }

  /** End of the digits starting at {@code from} (a part past the end is an implicit 0); -1 if not digits. */
  private static int partEnd(String s, int from) {
    if (from >= s.length()) {
      return from;
    }
    int end = from;
    while (end < s.length() && Character.isDigit(s.charAt(end)) && s.charAt(end) < 128) {
      end++;
    }
    return end == from ? -1 : end;
  }

  /** Start of the next part after a part ending at {@code end}; length when done; -2 if malformed. */
  private static int next(String s, int end) {
    if (end >= s.length()) {
      return s.length();
    }
    if (s.charAt(end) != '.' || end + 1 >= s.length()) {
      return -2;
    }
    return end + 1;
  }

  private static int comparePart(String a, int i, int ie, String b, int j, int je) {
    while (i < ie && a.charAt(i) == '0') {
      i++;
    }
    while (j < je && b.charAt(j) == '0') {
      j++;
    }
    int la = ie - i;
    int lb = je - j;
    if (la != lb) {
      return Integer.compare(la, lb);
    }
    for (; i < ie; i++, j++) {
      int c = Character.compare(a.charAt(i), b.charAt(j));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
