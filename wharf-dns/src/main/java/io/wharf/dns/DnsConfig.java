package io.wharf.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DnsServer} runs: the address it listens on (UDP and TCP, same port), the zone it
 * answers for and the TTL of its answers, the upstream server names outside the zone are
 * forwarded to (null: they are refused), and its limits.
 *
 * @param udpThreads threads receiving UDP, each on its own socket sharing the port (SO_REUSEPORT)
 * @param maxUdpPayload the EDNS0 payload size advertised, and the largest UDP reply sent
 * @param maxTcpConnections TCP connections served at once; more are closed at once
 * @param tcpIdleTimeout a TCP connection silent this long is closed
 * @param forwardTimeout how long to wait for the upstream before answering SERVFAIL
 */
public record DnsConfig(InetSocketAddress listen, String zone, Duration ttl, InetSocketAddress upstream,
    int udpThreads, int maxUdpPayload, int maxTcpConnections, Duration tcpIdleTimeout,
    Duration forwardTimeout) {

  public static final int DEFAULT_PORT = 8600;
  public static final String DEFAULT_ZONE = "wharf";
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);

  public DnsConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("ttl must be between 0s and 68 years, got " + ttl);
    }
    if (udpThreads < 1 || udpThreads > 64) {
      throw new IllegalArgumentException("udpThreads must be within 1..64, got " + udpThreads);
    }
    if (maxUdpPayload < 512 || maxUdpPayload > 65535) {
      throw new IllegalArgumentException("maxUdpPayload must be within 512..65535, got " + maxUdpPayload);
    }
    if (maxTcpConnections < 1) {
      throw new IllegalArgumentException("maxTcpConnections must be >= 1, got " + maxTcpConnections);
    }
    Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
    Objects.requireNonNull(forwardTimeout, "forwardTimeout");
  }

  /** Defaults: 127.0.0.1:8600, zone {@code wharf}, TTL 5 s, no upstream (other names refused). */
  public static DnsConfig defaults() {
    return new DnsConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT),
        DEFAULT_ZONE, DEFAULT_TTL, null, Math.min(4, Runtime.getRuntime().availableProcessors()),
        1232, 256, Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  public DnsConfig withListen(InetSocketAddress a) {
    return new DnsConfig(a, zone, ttl, upstream, udpThreads, maxUdpPayload, maxTcpConnections,
        tcpIdleTimeout, forwardTimeout);
  }

  public DnsConfig withZone(String z) {
    return new DnsConfig(listen, z, ttl, upstream, udpThreads, maxUdpPayload, maxTcpConnections,
        tcpIdleTimeout, forwardTimeout);
  }

  public DnsConfig withTtl(Duration t) {
    return new DnsConfig(listen, zone, t, upstream, udpThreads, maxUdpPayload, maxTcpConnections,
        tcpIdleTimeout, forwardTimeout);
  }

  public DnsConfig withUpstream(InetSocketAddress u) {
    return new DnsConfig(listen, zone, ttl, u, udpThreads, maxUdpPayload, maxTcpConnections,
        tcpIdleTimeout, forwardTimeout);
  }

  public DnsConfig withUdpThreads(int n) {
    return new DnsConfig(listen, zone, ttl, upstream, n, maxUdpPayload, maxTcpConnections,
        tcpIdleTimeout, forwardTimeout);
  }

  /**
   * Reads {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code HOST} or {@code :PORT} (the missing
   * part from {@code defaults}); {@code field} names the option in the error.
   */
  public static InetSocketAddress hostPort(String text, InetSocketAddress defaults, String field) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException(field + ": must not be empty");
    }
    String host;
    String port = null;
    if (t.startsWith("[")) {
      int end = t.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException(field + ": '" + text + "' lacks the closing ']'");
      }
      host = t.substring(1, end);
      if (end + 1 < t.length()) {
        if (t.charAt(end + 1) != ':') {
          throw new IllegalArgumentException(field + ": '" + text + "' must be [IPv6]:PORT");
        }
        port = t.substring(end + 2);
      }
    } else if (t.indexOf(':') != t.lastIndexOf(':')) {
      host = t; // a bare IPv6 literal
    } else {
      int colon = t.indexOf(':');
      host = colon < 0 ? t : t.substring(0, colon);
      port = colon < 0 ? null : t.substring(colon + 1);
    }
    int number = defaults.getPort();
    if (port != null) {
      try {
        number = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(field + ": port '" + port + "' is not a number");
      }
      if (number < 0 || number > 65535) {
        throw new IllegalArgumentException(field + ": port must be within 0..65535, got " + number);
      }
    }
    if (host.isEmpty()) {
      return new InetSocketAddress(defaults.getAddress(), number);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), number);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(field + ": unknown host '" + host + "'");
    }
  }
}
