package io.wharf.gateway.filter;

import io.netty.handler.codec.http.HttpHeaderNames;


/**
 * Keeps the client visible upstream: appends the client address to {@code X-Forwarded-For} and a
 * {@code for=...;proto=...;host=...} element to {@code Forwarded} (RFC 7239), and sets
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} unless a previous proxy did.
 */
final class ForwardedHeaders implements Filter {
  @Override
  public void apply(Exchange ex, Chain chain) {
    var out = ex.upstreamHeaders();
    String client = ex.clientAddress();
    String proto = ex.isSsl() ? "https" : "http";
    String xff = ex.header(HeaderNames.X_FORWARDED_FOR);
    out.set(HeaderNames.X_FORWARDED_FOR, xff == null || xff.isBlank() ? client : xff + ", " + client);
    String node = client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client;
    String host = ex.header(HttpHeaderNames.HOST);
    String element = "for=" + node + ";proto=" + proto + (host == null ? "" : ";host=\"" + host.replace("\"", "") + "\"");
    String forwarded = ex.header(HeaderNames.FORWARDED);
    out.set(HeaderNames.FORWARDED, forwarded == null || forwarded.isBlank() ? element : forwarded + ", " + element);
    if (ex.header(HeaderNames.X_FORWARDED_PROTO) == null) {
      out.set(HeaderNames.X_FORWARDED_PROTO, proto);
    }
    if (ex.header(HeaderNames.X_FORWARDED_HOST) == null && host != null) {
      out.set(HeaderNames.X_FORWARDED_HOST, host);
    }
    chain.proceed(ex);
  }
}
