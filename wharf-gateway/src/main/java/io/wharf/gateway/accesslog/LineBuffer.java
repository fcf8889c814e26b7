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
    if (value < 10) { // the common cases of an access log line: a status, a few milliseconds
      bytes[size++] = (byte) ('0' + value);
    } else if (value >= 100 && value < 1000) {
      threeDigits((int) value);
    } else {
      int start = size;
      while (value > 0) {
        bytes[size++] = (byte) ('0' + value % 10);
        value /= 10;
      }
      for (int i = start, j = size - 1; i < j; i++, j--) { // written backwards: turn around
        byte t = bytes[i];
        bytes[i] = bytes[j];
        bytes[j] = t;
      }
    }
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
