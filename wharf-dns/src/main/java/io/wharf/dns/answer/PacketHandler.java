package io.wharf.dns.answer;

import io.wharf.dns.records.DnsRecords;
import java.util.Objects;

/**
 * What the transports call: answers packets from the current {@link ZoneIndex}, which
 * {@link #update} replaces whole (built on the caller's thread, published with one volatile
 * write). Queries in flight finish on the index they started with.
 *
 * <p>Thread safety: {@link #handle} from any number of threads, concurrently with {@link #update}.
 */
public final class PacketHandler {

  private final Zone zone;
  private final int maxPayload;
  private final boolean forwarding;
  private volatile ZoneIndex index;

  /**
   * @param maxPayload the UDP payload size advertised in EDNS0 replies and the most sent over UDP
   * @param forwarding whether names outside the zone are forwarded (else refused)
   */
  public PacketHandler(Zone zone, int maxPayload, boolean forwarding) {
    this.zone = Objects.requireNonNull(zone, "zone");
    if (maxPayload < Wire.CLASSIC_UDP_LIMIT || maxPayload > 65535) {
      throw new IllegalArgumentException("maxPayload must be within 512..65535, got " + maxPayload);
    }
    this.maxPayload = maxPayload;
    this.forwarding = forwarding;
    this.index = ZoneIndex.build(zone, DnsRecords.EMPTY);
  }

  public Zone zone() {
    return zone;
  }

  /** Encodes {@code records} and answers from them from now on. */
  public void update(DnsRecords records) {
    index = ZoneIndex.build(zone, records);
  }

  public ZoneIndex index() {
    return index;
  }

  public Reply handle(byte[] packet, int length, boolean udp) {
    return Responder.respond(index, packet, length, udp, maxPayload, forwarding);
  }
}
