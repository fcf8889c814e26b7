package io.wharf.gateway.filter;


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
    String xff = ex.header("x-forwarded-for");
    out.set("x-forwarded-for", xff == null || xff.isBlank() ? client : xff + ", " + client);
    String node = client.contains(":") ? "\"[" + client + "]\"" : client;
    String host = ex.header("host");
    String element = "for=" + node + ";proto=" + proto + (host == null ? "" : ";host=\"" + host.replace("\"", "") + "\"");
    String forwarded = ex.header("forwarded");
    out.set("forwarded", forwarded == null || forwarded.isBlank() ? element : forwarded + ", " + element);
    if (ex.header("x-forwarded-proto") == null) {
      out.set("x-forwarded-proto", proto);
    }
    if (ex.header("x-forwarded-host") == null && host != null) {
      out.set("x-forwarded-host", host);
    }
    chain.proceed(ex);
  }
}
