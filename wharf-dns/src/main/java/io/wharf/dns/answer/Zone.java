package io.wharf.dns.answer;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * The zone the server is authoritative for: its {@code origin} (dotted, no final dot, e.g.
 * {@code wharf}), the TTL of every answer (also the negative-caching TTL), and the address of
 * the name server's own name {@code ns.<origin>} (null: none to publish).
 */
public record Zone(String origin, int ttlSeconds, InetAddress nameServerAddress) {

  public Zone {
    Objects.requireNonNull(origin, "origin");
    origin = origin.toLowerCase(Locale.ROOT);
    if (origin.endsWith(".")) {
      origin = origin.substring(0, origin.length() - 1);
    }
    String problem = nameProblem(origin);
    if (problem != null) {
      throw new IllegalArgumentException("zone: " + problem);
    }
    if (ttlSeconds < 0) {
      throw new IllegalArgumentException("ttl must be >= 0 seconds, got " + ttlSeconds);
    }
  }

  /** Why {@code dotted} is not a usable DNS name, or null when it is. */
  static String nameProblem(String dotted) {
    if (dotted.isEmpty()) {
      return "must not be empty";
    }
    if (dotted.length() > 253) {
      return "'" + dotted + "' is longer than 253 characters";
    }
    for (String label : dotted.split("\\.", -1)) {
      if (label.isEmpty()) {
        return "'" + dotted + "' has an empty label";
      }
      if (label.length() > 63) {
        return "'" + dotted + "' has a label longer than 63 characters";
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (c <= ' ' || c > '~') {
          return "'" + dotted + "' has a character that is not printable ASCII";
        }
      }
    }
    return null;
  }

  String nameServer() {
    return "ns." + origin;
  }
}
