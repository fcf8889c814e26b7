package io.wharf.server.auth.policy;

/** Namespace globs: {@code *} matches any run of characters (none included); nothing else is special. */
final class Globs {
  private Globs() {
  }

  /** Whether {@code text} matches {@code glob}. */
  static boolean matches(String glob, String text) {
    return match(glob, 0, text, 0);
  }

  /**
   * Whether every name {@code inner} matches also matches {@code outer}. Namespace names never
   * contain {@code *}, so matching {@code inner} as literal text against {@code outer} answers
   * it: each {@code *} of {@code inner} can only be absorbed by a {@code *} of {@code outer}.
   */
  static boolean covers(String outer, String inner) {
    return matches(outer, inner);
  }

  private static boolean match(String glob, int g, String text, int t) {
    while (g < glob.length()) {
      char c = glob.charAt(g);
      if (c == '*') {
        for (int k = t; k <= text.length(); k++) {
          if (match(glob, g + 1, text, k)) {
            return true;
          }
        }
        return false;
      }
      if (t >= text.length() || text.charAt(t) != c) {
        return false;
      }
      g++;
      t++;
    }
    return t == text.length();
  }
}
