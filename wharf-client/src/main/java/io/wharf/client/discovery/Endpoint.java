package io.wharf.client.discovery;

import java.util.Objects;

/** Where one ready instance listens for one service port: {@code host:port}, and which instance. */
public record Endpoint(String host, int port, String instance) {
  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Objects.requireNonNull(instance, "instance");
  }

  /** {@code host:port}, the address a proxy connects to. */
  public String address() {
    return host + ":" + port;
  }
}
