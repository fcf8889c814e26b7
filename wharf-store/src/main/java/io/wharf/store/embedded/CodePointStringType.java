package io.wharf.store.embedded;

import org.h2.mvstore.type.StringDataType;

/**
 * MVStore key type for store keys, ordered by Unicode code point. Code point order is the
 * order of the keys' UTF-8 bytes, which is the order the store contract (and etcd) promise;
 * {@link String#compareTo} differs from it for keys mixing supplementary characters with
 * characters in U+E000..U+FFFF. Stateless and thread-safe.
 */
final class CodePointStringType extends StringDataType {
  static final CodePointStringType INSTANCE = new CodePointStringType();

  private CodePointStringType() {}

  @Override
  public int compare(String a, String b) {
    return compareCodePoints(a, b);
  }

  @Override
  public int binarySearch(String key, Object storage, int size, int initialGuess) {
    String[] keys = (String[]) storage;
    int low = 0;
    int high = size - 1;
    int x = initialGuess - 1;
    if (x < 0 || x > high) {
      x = high >>> 1;
    }
    while (low <= high) {
      int cmp = compareCodePoints(key, keys[x]);
      if (cmp > 0) {
        low = x + 1;
      } else if (cmp < 0) {
        high = x - 1;
      } else {
        return x;
      }
      x = (low + high) >>> 1;
    }
    return -(low + 1);
  }

  /** Compares UTF-16 strings in code point order (equivalently, UTF-8 byte order). */
  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (ca >= 0xD800 && cb >= 0xD800) {
          return fixUp(ca) - fixUp(cb);
        }
        return ca - cb;
      }
    }
    return a.length() - b.length();
  }

  /** Moves surrogates above U+E000..U+FFFF so they sort after every other BMP character. */
  private static int fixUp(char c) {
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }
}
