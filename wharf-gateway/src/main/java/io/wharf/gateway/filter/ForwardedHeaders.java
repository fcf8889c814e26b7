package io.wharf.gateway.filter;

import io.vertx.core.Future;

/**
 * Keeps the client visible upstream: appends the client address to {@code X-Forwarded-For} and a
 * {@code for=...;proto=...;host=...} element to {@code Forwarded} (RFC 7239), and sets
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} unless a previous proxy did.
 */
final class ForwardedHeaders implements Filter {
  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    var request = ex.request();
    var out = ex.upstreamHeaders();
    String client = ex.clientAddress();
    String proto = request.isSSL() ? "https" : "http";
    String xff = request.getHeader("x-forwarded-for");
    out.set("x-forwarded-for", xff == null || xff.isBlank() ? client : xff + ", " + client);
    String node = client.contains(":") ? "\"[" + client + "]\"" : client;
    String host = request.getHeader("host");
    String element = "for=" + node + ";proto=" + proto + (host == null ? "" : ";host=\"" + host.replace("\"", "") + "\"");
    String forwarded = request.getHeader("forwarded");
    out.set("forwarded", forwarded == null || forwarded.isBlank() ? element : forwarded + ", " + element);
    if (request.getHeader("x-forwarded-proto") == null) {
      out.set("x-forwarded-proto", proto);
    }
    if (request.getHeader("x-forwarded-host") == null && host != null) {
      out.set("x-forwarded-host", host);
    }
    return chain.proceed(ex);
  }
}
