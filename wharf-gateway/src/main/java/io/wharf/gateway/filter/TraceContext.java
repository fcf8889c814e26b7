package io.wharf.gateway.filter;

import io.vertx.core.Future;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C Trace Context: a valid incoming {@code traceparent} keeps its trace id and flags and gets
 * the gateway's own span id as parent for upstream; a missing or invalid one starts a new trace.
 * {@code tracestate} passes through untouched.
 */
final class TraceContext implements Filter {
  static final Pattern TRACEPARENT = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    String incoming = ex.header("traceparent");
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
    if (traceId == null) {
      traceId = hex(16);
    }
    ex.traceId(traceId);
    ex.upstreamHeaders().set("traceparent", "00-" + traceId + "-" + hex(8) + "-" + flags);
    return chain.proceed(ex);
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1; // never all zeros
    return HexFormat.of().formatHex(b);
  }
}
