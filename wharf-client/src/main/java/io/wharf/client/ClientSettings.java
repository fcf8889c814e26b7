package io.wharf.client;

import io.wharf.client.watch.WatchStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the API lives and how long calls may take. {@code addresses} lists the servers, tried
 * in order: a call that cannot connect to one, or that one answers 503, goes to the next (see
 * {@link WharfClient}). {@code requestTimeout} bounds every call but watches, which stay open
 * until closed; {@code connectTimeout} bounds every connection; a watch connection on which
 * nothing arrives for {@code watchIdleTimeout} (the server sends a keep-alive every 15 s) is
 * considered dead and reconnected. {@code token}, when not null, is sent as {@code Authorization:
 * Bearer} on every call; {@code sslContext}, when not null, is what https:// connections use (the
 * trusted CA, and a client certificate for mutual TLS), else the JDK's default.
 */
public record ClientSettings(List<URI> addresses, Duration connectTimeout, Duration requestTimeout,
    Duration watchIdleTimeout, String token, javax.net.ssl.SSLContext sslContext) {

  public static final URI DEFAULT_ADDRESS = URI.create("http://127.0.0.1:7070");

  public ClientSettings {
    Objects.requireNonNull(addresses, "addresses");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(watchIdleTimeout, "watchIdleTimeout");
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("at least one server address is needed");
    }
    List<URI> normalised = new ArrayList<>(addresses.size());
    for (URI baseUrl : addresses) {
      Objects.requireNonNull(baseUrl, "address");
      String scheme = baseUrl.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException(
            "server address must start with http:// or https://, got \"" + baseUrl + "\"");
      }
      if (baseUrl.getHost() == null) {
        throw new IllegalArgumentException("server address has no host: \"" + baseUrl + "\"");
      }
      String text = baseUrl.toString();
      normalised.add(text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : baseUrl);
    }
    addresses = List.copyOf(normalised);
    if (connectTimeout.isNegative() || connectTimeout.isZero()
        || requestTimeout.isNegative() || requestTimeout.isZero()
        || watchIdleTimeout.isNegative() || watchIdleTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  public ClientSettings(List<URI> addresses, Duration connectTimeout, Duration requestTimeout,
      Duration watchIdleTimeout) {
    this(addresses, connectTimeout, requestTimeout, watchIdleTimeout, null, null);
  }

  /** One server. */
  public ClientSettings(URI baseUrl, Duration connectTimeout, Duration requestTimeout, Duration watchIdleTimeout) {
    this(List.of(baseUrl), connectTimeout, requestTimeout, watchIdleTimeout);
  }

  /** The first server: the one tried first. */
  public URI baseUrl() {
    return addresses.getFirst();
  }

  /** Default timeouts: 5 s to connect, 30 s per call, 45 s of watch silence. */
  public static ClientSettings of(URI baseUrl) {
    return of(List.of(baseUrl));
  }

  /** Several servers, tried in order; default timeouts. */
  public static ClientSettings of(List<URI> addresses) {
    return new ClientSettings(addresses, Duration.ofSeconds(5), Duration.ofSeconds(30),
        WatchStream.DEFAULT_IDLE_TIMEOUT);
  }

  public ClientSettings withWatchIdleTimeout(Duration timeout) {
    return new ClientSettings(addresses, connectTimeout, requestTimeout, timeout, token, sslContext);
  }

  public ClientSettings withConnectTimeout(Duration timeout) {
    return new ClientSettings(addresses, timeout, requestTimeout, watchIdleTimeout, token, sslContext);
  }

  /** The same, sending {@code token} as a bearer token on every call (null: none). */
  public ClientSettings withToken(String token) {
    return new ClientSettings(addresses, connectTimeout, requestTimeout, watchIdleTimeout, token, sslContext);
  }

  /** The same, with https:// connections made by {@code sslContext} (null: the JDK's default). */
  public ClientSettings withSslContext(javax.net.ssl.SSLContext sslContext) {
    return new ClientSettings(addresses, connectTimeout, requestTimeout, watchIdleTimeout, token, sslContext);
  }

  @Override
  public String toString() {
    return "ClientSettings[addresses=" + addresses + ", connectTimeout=" + connectTimeout + ", requestTimeout="
        + requestTimeout + ", watchIdleTimeout=" + watchIdleTimeout + ", token=" + (token == null ? "none" : "(set)")
        + ", tls=" + (sslContext == null ? "default" : "custom") + "]";
  }

  /**
   * Parses an address such as {@code http://127.0.0.1:7070}, or several separated by commas
   * ({@code http://10.0.0.5:7070,10.0.0.6:7070}); a bare host:port gets http://.
   */
  public static ClientSettings of(String address) {
    List<URI> parsed = new ArrayList<>();
    for (String part : address.split(",", -1)) {
      String text = part.strip();
      if (text.isEmpty()) {
        throw new IllegalArgumentException("not a server address: \"" + address + "\" (empty entry)");
      }
      if (!text.contains("://")) {
        text = "http://" + text;
      }
      try {
        URI uri = URI.create(text);
        of(uri); // validates this one address with its own message
        parsed.add(uri);
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("server address")) {
          throw e;
        }
        throw new IllegalArgumentException("not a server address: \"" + part.strip() + "\"", e);
      }
    }
    return of(parsed);
  }
}
