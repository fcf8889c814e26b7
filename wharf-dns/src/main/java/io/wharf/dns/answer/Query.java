package io.wharf.dns.answer;

import java.nio.ByteBuffer;

/**
 * The parts of a query the server answers from. {@code name} is the question's name in wire
 * form, lower-cased (the zone lookup key); {@code questionEnd} is the offset just past the
 * question, so a reply can copy the question exactly as asked (case included). {@code
 * ednsPayload} is the requestor's UDP payload size, or -1 without an OPT record; {@code
 * ednsVersion} its EDNS version.
 */
record Query(int id, int flags, int opcode, ByteBuffer name, int type, int qclass, int questionEnd,
    int ednsPayload, int ednsVersion) {

  boolean edns() {
    return ednsPayload >= 0;
  }

  boolean recursionDesired() {
    return (flags & (Wire.FLAG_RD << 8)) != 0;
  }

  /** Why a packet is not a query we can parse; {@code drop} when not even a reply is owed. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean drop;

    Malformed(String message, boolean drop) {
      super(message, null, false, false);
      this.drop = drop;
    }
  }

  /**
   * Parses a query. Packets too short for a header, or that are replies, are to be dropped;
   * anything else unreadable is a format error (FORMERR).
   */
  static Query parse(byte[] p, int length) throws Malformed {
    if (length < Wire.HEADER) {
      throw new Malformed("shorter than a header", true);
    }
    int flags = Wire.u16(p, 2);
    if ((flags & 0x8000) != 0) {
      throw new Malformed("a reply, not a query", true);
    }
    int opcode = (flags >>> 11) & 0xf;
    int qdcount = Wire.u16(p, 4);
    if (qdcount != 1) {
      throw new Malformed("question count " + qdcount + ", expected 1", false);
    }
    int at = Wire.HEADER;
    int nameLength = 0;
    while (true) {
      if (at >= length) {
        throw new Malformed("question name runs past the packet", false);
      }
      int label = p[at] & 0xff;
      if (label == 0) {
        at++;
        nameLength++;
        break;
      }
      if ((label & 0xc0) != 0) {
        throw new Malformed("compressed or extended label in the question", false);
      }
      nameLength += label + 1;
      if (nameLength > 255) {
        throw new Malformed("question name longer than 255 bytes", false);
      }
      at += label + 1;
    }
    if (at + 4 > length) {
      throw new Malformed("question type and class missing", false);
    }
    byte[] name = new byte[nameLength];
    for (int i = 0; i < nameLength; i++) {
      byte b = p[Wire.HEADER + i];
      name[i] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
    int type = Wire.u16(p, at);
    int qclass = Wire.u16(p, at + 2);
    int questionEnd = at + 4;
    int ednsPayload = -1;
    int ednsVersion = 0;
    int records = Wire.u16(p, 6) + Wire.u16(p, 8);
    int additional = Wire.u16(p, 10);
    int cursor = questionEnd;
    for (int i = 0; i < records + additional; i++) {
      int rrStart = cursor;
      cursor = skipName(p, length, cursor);
      if (cursor + 10 > length) {
        throw new Malformed("resource record runs past the packet", false);
      }
      int rrType = Wire.u16(p, cursor);
      int rdLength = Wire.u16(p, cursor + 8);
      if (i >= records && rrType == Wire.TYPE_OPT) {
        if (ednsPayload >= 0) {
          throw new Malformed("more than one OPT record", false);
        }
        if (p[rrStart] != 0) {
          throw new Malformed("OPT record with a non-root name", false);
        }
        ednsPayload = Math.max(Wire.CLASSIC_UDP_LIMIT, Wire.u16(p, cursor + 2));
        ednsVersion = p[cursor + 5] & 0xff;
      }
      cursor += 10 + rdLength;
      if (cursor > length) {
        throw new Malformed("resource record data runs past the packet", false);
      }
    }
    return new Query(Wire.u16(p, 0), flags, opcode, ByteBuffer.wrap(name), type, qclass,
        questionEnd, ednsPayload, ednsVersion);
  }

  private static int skipName(byte[] p, int length, int at) throws Malformed {
    while (true) {
      if (at >= length) {
        throw new Malformed("record name runs past the packet", false);
      }
      int label = p[at] & 0xff;
      if (label == 0) {
        return at + 1;
      }
      if ((label & 0xc0) == 0xc0) {
        return at + 2;
      }
      if ((label & 0xc0) != 0) {
        throw new Malformed("extended label type", false);
      }
      at += label + 1;
    }
  }
}
