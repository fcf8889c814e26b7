/**
 * Answers DNS queries (RFC 1035 wire format, written by hand) from a
 * {@link io.wharf.dns.answer.ZoneIndex}: every answer the zone can give is encoded once when
 * a snapshot arrives, so answering a query is a lookup, a copy and a patch of the message id,
 * flags and question. {@link io.wharf.dns.answer.Responder} is pure (bytes in, a
 * {@link io.wharf.dns.answer.Reply} out); {@link io.wharf.dns.answer.PacketHandler} holds the
 * current index and is what the transports call. Nothing here does I/O.
 */
package io.wharf.dns.answer;
