package io.wharf.dns.records;

import java.util.Locale;
import java.util.Objects;

/** A named port an endpoint listens on: {@code protocol} is {@code tcp} or {@code udp}. */
public record EndpointPort(String name, int port, String protocol) {

  public EndpointPort {
    Objects.requireNonNull(name, "name");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be within 1..65535, got " + port);
    }
    protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      throw new IllegalArgumentException("protocol must be tcp or udp, got " + protocol);
    }
  }

  public static EndpointPort tcp(String name, int port) {
    return new EndpointPort(name, port, "tcp");
  }
}
