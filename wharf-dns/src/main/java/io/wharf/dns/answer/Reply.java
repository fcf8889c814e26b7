package io.wharf.dns.answer;

/** What to do with a packet: send a message back, drop it, or forward it upstream as is. */
public sealed interface Reply {

  record Send(byte[] message) implements Reply {}

  /** Not a query worth an answer (too short to carry an id, or itself a reply). */
  record Drop(String reason) implements Reply {}

  /** A name outside the zone, and an upstream server is configured. */
  record Forward() implements Reply {}

  Forward FORWARD = new Forward();
}
