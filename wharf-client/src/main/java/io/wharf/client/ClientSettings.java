package io.wharf.client;

import io.wharf.client.watch.WatchStream;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the API lives and how long calls may take. {@code requestTimeout} bounds every call
 * but watches, which stay open until closed; {@code connectTimeout} bounds every connection;
 * a watch connection on which nothing arrives for {@code watchIdleTimeout} (the server sends a
 * keep-alive every 15 s) is considered dead and reconnected.
 */
public record ClientSettings(URI baseUrl, Duration connectTimeout, Duration requestTimeout,
    Duration watchIdleTimeout) {

  public static final URI DEFAULT_ADDRESS = URI.create("http://127.0.0.1:7070");

  public ClientSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(watchIdleTimeout, "watchIdleTimeout");
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "server address must start with http:// or https://, got \"" + baseUrl + "\"");
    }
    if (baseUrl.getHost() == null) {
      throw new IllegalArgumentException("server address has no host: \"" + baseUrl + "\"");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()
        || requestTimeout.isNegative() || requestTimeout.isZero()
        || watchIdleTimeout.isNegative() || watchIdleTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    String text = baseUrl.toString();
    if (text.endsWith("/")) {
      baseUrl = URI.create(text.substring(0, text.length() - 1));
    }
  }

  /** Default timeouts: 5 s to connect, 30 s per call, 45 s of watch silence. */
  public static ClientSettings of(URI baseUrl) {
    return new ClientSettings(baseUrl, Duration.ofSeconds(5), Duration.ofSeconds(30),
        WatchStream.DEFAULT_IDLE_TIMEOUT);
  }

  public ClientSettings withWatchIdleTimeout(Duration timeout) {
    return new ClientSettings(baseUrl, connectTimeout, requestTimeout, timeout);
  }

  /** Parses an address such as {@code http://127.0.0.1:7070}; a bare host:port gets http://. */
  public static ClientSettings of(String address) {
    String text = address.strip();
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    try {
      return of(URI.create(text));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("server address")) {
        throw e;
      }
      throw new IllegalArgumentException("not a server address: \"" + address + "\"", e);
    }
  }
}
