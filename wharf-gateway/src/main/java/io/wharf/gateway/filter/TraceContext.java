package io.wharf.gateway.filter;

import io.netty.util.AsciiString;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C Trace Context: a valid incoming {@code traceparent} keeps its trace id and flags and gets
 * the gateway's own span id as parent for upstream; a missing or invalid one starts a new trace.
 * {@code tracestate} passes through untouched.
 */
final class TraceContext implements Filter {
  static final Pattern TRACEPARENT = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  @Override
  public void apply(Exchange ex, Chain chain) {
    String incoming = ex.header(HeaderNames.TRACEPARENT);
    String traceId = null;
    String flags = "01";
    if (incoming != null) {
      var m = TRACEPARENT.matcher(incoming.trim());
      if (m.matches() && !m.group(1).equals("ff") && !m.group(2).equals("0".repeat(32))
          && !m.group(3).equals("0".repeat(16))) {
        traceId = m.group(2);
        flags = m.group(4);
      }
    }
    // "00-" trace id (32) "-" span id (16) "-" flags (2), written as bytes: the header value and the
    // access log's trace id are views of one array
    byte[] b = new byte[55];
    b[0] = '0';
    b[1] = '0';
    b[2] = '-';
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (traceId == null) {
      hex(random.nextLong() | 1L, b, 3); // never all zeros
      hex(random.nextLong(), b, 19);
    } else {
      for (int i = 0; i < 32; i++) {
        b[3 + i] = (byte) traceId.charAt(i);
      }
    }
    b[35] = '-';
    hex(random.nextLong() | 1L, b, 36);
    b[52] = '-';
    b[53] = (byte) flags.charAt(0);
    b[54] = (byte) flags.charAt(1);
    ex.traceId(new AsciiString(b, 3, 32, false));
    ex.upstreamHeaders().set(HeaderNames.TRACEPARENT, new AsciiString(b, false));
    chain.proceed(ex);
  }

  /** {@code v} as 16 lowercase hex digits into {@code b} at {@code at}. */
  private static void hex(long v, byte[] b, int at) {
    for (int i = 15; i >= 0; i--) {
      b[at + i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }
}
