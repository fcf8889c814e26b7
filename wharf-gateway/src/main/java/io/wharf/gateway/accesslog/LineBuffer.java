package io.wharf.gateway.accesslog;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The writer's reusable output buffer: text goes in as single bytes (every field of a line is
 * ASCII, or Latin-1 as Netty decoded the request line) and numbers as digits, without building
 * strings first. Confined to the writer's thread.
 */
final class LineBuffer {
  private byte[] bytes = new byte[64 << 10];
  private int size;

  LineBuffer text(CharSequence s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[size++] = (byte) s.charAt(i);
    }
    return this;
  }

  LineBuffer text(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
    return this;
  }

  LineBuffer ch(char c) {
    ensure(1);
    bytes[size++] = (byte) c;
    return this;
  }

  /** {@code value} in decimal (not negative). */
  LineBuffer number(long value) {
    ensure(20);
    if (value == 0) {
      bytes[size++] = '0';
      return this;
    }
    int end = size + digits(value);
    int i = end;
    while (value > 0) {
      bytes[--i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size = end;
    return this;
  }

  /** {@code value} (0..999) as three digits. */
  LineBuffer threeDigits(int value) {
    ensure(3);
    bytes[size++] = (byte) ('0' + value / 100);
    bytes[size++] = (byte) ('0' + value / 10 % 10);
    bytes[size++] = (byte) ('0' + value % 10);
    return this;
  }

  private static int digits(long v) {
    int d = 1;
    while (v >= 10) {
      v /= 10;
      d++;
    }
    return d;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  void clear() {
    size = 0;
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size);
  }
}
