package io.wharf.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * How a gateway listens and protects itself: the proxy listener ({@code host}, {@code port});
 * the admin listener for {@code /metrics} and {@code /healthz} ({@code adminHost},
 * {@code adminPort}; -1 = none); the number of Vert.x event loops (one proxy verticle each);
 * {@code maxBodyBytes} (larger bodies answer 413) and {@code maxHeaderBytes} (larger headers
 * answer 431); {@code idleTimeout} (a silent client connection is closed: slow or stuck clients),
 * {@code headerTimeout} (a request head not complete in this time answers 408 and closes: clients
 * trickling their headers) and {@code bodyTimeout} (a body not received in this time answers 408); how long a tripped
 * endpoint breaker stays open before half-open probes ({@code breakerOpenFor}); and the retry
 * budget (retries per second ≤ {@code retryRatio} × requests + {@code minRetriesPerSecond}).
 */
public record GatewaySettings(String host, int port, String adminHost, int adminPort, int eventLoops,
                              long maxBodyBytes, int maxHeaderBytes, Duration idleTimeout, Duration headerTimeout,
                              Duration bodyTimeout,
                              Duration breakerOpenFor, double retryRatio, int minRetriesPerSecond) {
  public GatewaySettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be >= 1, got " + eventLoops);
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    Objects.requireNonNull(bodyTimeout, "bodyTimeout");
    if (!headerTimeout.isPositive()) {
      throw new IllegalArgumentException("headerTimeout must be positive, got " + headerTimeout);
    }
    Objects.requireNonNull(breakerOpenFor, "breakerOpenFor");
  }

  /** Defaults: 10 MiB bodies, 16 KiB headers, 60 s idle, 10 s head, 30 s body, breaker open 5 s, 20% + 10/s retries. */
  public static GatewaySettings listen(String host, int port, String adminHost, int adminPort) {
    return new GatewaySettings(host, port, adminHost, adminPort, Math.max(1, Runtime.getRuntime().availableProcessors()),
        10L << 20, 16 << 10, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5),
        0.2, 10);
  }

  public GatewaySettings withLimits(long maxBody, int maxHeader, Duration idle, Duration body) {
    return new GatewaySettings(host, port, adminHost, adminPort, eventLoops, maxBody, maxHeader, idle, headerTimeout,
        body, breakerOpenFor, retryRatio, minRetriesPerSecond);
  }

  public GatewaySettings withHeaderTimeout(Duration d) {
    return new GatewaySettings(host, port, adminHost, adminPort, eventLoops, maxBodyBytes, maxHeaderBytes, idleTimeout,
        d, bodyTimeout, breakerOpenFor, retryRatio, minRetriesPerSecond);
  }

  public GatewaySettings withBreakerOpenFor(Duration d) {
    return new GatewaySettings(host, port, adminHost, adminPort, eventLoops, maxBodyBytes, maxHeaderBytes, idleTimeout,
        headerTimeout, bodyTimeout, d, retryRatio, minRetriesPerSecond);
  }

  public GatewaySettings withEventLoops(int n) {
    return new GatewaySettings(host, port, adminHost, adminPort, n, maxBodyBytes, maxHeaderBytes, idleTimeout,
        headerTimeout, bodyTimeout, breakerOpenFor, retryRatio, minRetriesPerSecond);
  }
}
