package io.wharf.dns.answer;

import java.util.Arrays;
import java.util.Map;

/**
 * Answers one query from a {@link ZoneIndex}. Pure: no I/O, no state; safe from any thread.
 *
 * <ul>
 *   <li>a name of the zone with data of the asked type: the precomputed reply, with the query's
 *       id, RD bit and question (case preserved) patched in;
 *   <li>a name of the zone without that type: NODATA (NOERROR, no answer, the SOA in authority);
 *   <li>a name under the zone that does not exist: NXDOMAIN with the SOA;
 *   <li>a name outside the zone: REFUSED, or {@link Reply#FORWARD} when forwarding;
 *   <li>zone transfers (AXFR, IXFR) and classes other than IN / ANY: REFUSED;
 *       opcodes other than QUERY: NOTIMP; EDNS versions other than 0: BADVERS;
 *   <li>an unreadable query: FORMERR; one too short to carry an id, or a reply: dropped.
 * </ul>
 *
 * <p>With EDNS0 the reply carries an OPT record advertising {@code maxPayload}. Over UDP
 * ({@code udp} true) a reply larger than the requestor's limit (512 bytes, or its EDNS0 payload
 * size capped at {@code maxPayload}) is replaced by an empty one with the TC bit, telling the
 * client to ask again over TCP.
 */
public final class Responder {

  private Responder() {}

  public static Reply respond(ZoneIndex index, byte[] packet, int length, boolean udp,
      int maxPayload, boolean forwarding) {
    Query q;
    try {
      q = Query.parse(packet, length);
    } catch (Query.Malformed e) {
      if (e.drop) {
        return new Reply.Drop(e.getMessage());
      }
      return new Reply.Send(headerOnly(packet, Wire.RCODE_FORMERR));
    }
    if (q.opcode() != 0) {
      return send(negative(index, packet, q, Wire.RCODE_NOTIMP, false, false, maxPayload));
    }
    if (q.edns() && q.ednsVersion() != 0) {
      return send(negative(index, packet, q, Wire.RCODE_BADVERS, false, false, maxPayload));
    }
    boolean inZone = index.contains(q.name());
    if (!inZone) {
      return forwarding ? Reply.FORWARD
          : send(negative(index, packet, q, Wire.RCODE_REFUSED, false, false, maxPayload));
    }
    if ((q.qclass() != Wire.CLASS_IN && q.qclass() != Wire.CLASS_ANY)
        || q.type() == Wire.TYPE_AXFR || q.type() == Wire.TYPE_IXFR) {
      return send(negative(index, packet, q, Wire.RCODE_REFUSED, false, false, maxPayload));
    }
    Map<Integer, byte[]> templates = index.lookup(q.name());
    if (templates == null) {
      return limit(index, negative(index, packet, q, Wire.RCODE_NXDOMAIN, true, true, maxPayload),
          packet, q, udp, maxPayload);
    }
    byte[] template = templates.get(q.type());
    if (template == null) {
      return limit(index, negative(index, packet, q, Wire.RCODE_NOERROR, true, true, maxPayload),
          packet, q, udp, maxPayload);
    }
    byte[] out = Arrays.copyOf(template, template.length + (q.edns() ? Wire.OPT_SIZE : 0));
    out[0] = packet[0];
    out[1] = packet[1];
    out[2] |= (byte) (packet[2] & Wire.FLAG_RD);
    System.arraycopy(packet, Wire.HEADER, out, Wire.HEADER, q.questionEnd() - Wire.HEADER);
    if (q.edns()) {
      Wire.putOpt(out, template.length, maxPayload, 0);
      Wire.putU16(out, 10, Wire.u16(out, 10) + 1);
    }
    return limit(index, out, packet, q, udp, maxPayload);
  }

  private static Reply send(byte[] message) {
    return new Reply.Send(message);
  }

  /** Over UDP, a reply too large for the requestor becomes an empty truncated one. */
  private static Reply limit(ZoneIndex index, byte[] out, byte[] packet, Query q, boolean udp, int maxPayload) {
    int allowed = q.edns() ? Math.min(q.ednsPayload(), maxPayload) : Wire.CLASSIC_UDP_LIMIT;
    if (!udp || out.length <= allowed) {
      return new Reply.Send(out);
    }
    byte[] truncated = negative(index, packet, q, out[3] & 0x0f, (out[2] & Wire.FLAG_AA) != 0, false,
        maxPayload);
    truncated[2] |= Wire.FLAG_TC;
    return new Reply.Send(truncated);
  }

  /**
   * A reply with the query's question, no answers, the zone's SOA in authority when {@code soa},
   * and an OPT record when the query had one ({@code rcode} may be extended).
   */
  private static byte[] negative(ZoneIndex index, byte[] packet, Query q, int rcode, boolean authoritative,
      boolean soa, int maxPayload) {
    byte[] soaRecord = soa ? index.soaRecord() : null;
    int questionLength = q.questionEnd() - Wire.HEADER;
    int size = Wire.HEADER + questionLength + (soa ? soaRecord.length : 0)
        + (q.edns() ? Wire.OPT_SIZE : 0);
    byte[] out = new byte[size];
    out[0] = packet[0];
    out[1] = packet[1];
    out[2] = (byte) (Wire.FLAG_QR | (authoritative ? Wire.FLAG_AA : 0) | (packet[2] & Wire.FLAG_RD));
    out[3] = (byte) (rcode & 0x0f);
    Wire.putU16(out, 4, 1);
    Wire.putU16(out, 8, soa ? 1 : 0);
    Wire.putU16(out, 10, q.edns() ? 1 : 0);
    System.arraycopy(packet, Wire.HEADER, out, Wire.HEADER, questionLength);
    int at = Wire.HEADER + questionLength;
    if (soa) {
      System.arraycopy(soaRecord, 0, out, at, soaRecord.length);
      at += soaRecord.length;
    }
    if (q.edns()) {
      Wire.putOpt(out, at, maxPayload, rcode);
    }
    return out;
  }

  /** Header only, with the packet's id: for queries whose question cannot be read. */
  private static byte[] headerOnly(byte[] packet, int rcode) {
    byte[] out = new byte[Wire.HEADER];
    out[0] = packet[0];
    out[1] = packet[1];
    out[2] = (byte) (Wire.FLAG_QR | (packet[2] & 0x78) | (packet[2] & Wire.FLAG_RD));
    out[3] = (byte) rcode;
    return out;
  }

  /**
   * SERVFAIL for a query that could not be answered (the upstream did not reply): the query's
   * question echoed when it can be read, else just the header.
   */
  public static byte[] serverFailure(ZoneIndex index, byte[] packet, int length, int maxPayload) {
    try {
      Query q = Query.parse(packet, length);
      byte[] out = negative(index, packet, q, Wire.RCODE_SERVFAIL, false, false, maxPayload);
      out[3] |= (byte) 0x80; // RA: the server recursed on the client's behalf
      return out;
    } catch (Query.Malformed e) {
      return headerOnly(packet, Wire.RCODE_SERVFAIL);
    }
  }
}
