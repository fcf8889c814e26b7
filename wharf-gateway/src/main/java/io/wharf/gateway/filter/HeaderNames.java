package io.wharf.gateway.filter;

import io.netty.util.AsciiString;

/**
 * Header names the gateway reads or sets on every request that Netty's {@code HttpHeaderNames}
 * lacks, as {@link AsciiString}s: their hash is computed once, not on every lookup.
 */
final class HeaderNames {
  static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  static final AsciiString FORWARDED = AsciiString.cached("forwarded");
  static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

  private HeaderNames() {}
}
