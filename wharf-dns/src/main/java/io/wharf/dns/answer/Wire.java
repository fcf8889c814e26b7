package io.wharf.dns.answer;

/** Numbers of the DNS wire format (RFC 1035, 2782, 3596, 6891) used by the server. */
public final class Wire {
  private Wire() {}

  public static final int HEADER = 12;

  public static final int TYPE_A = 1;
  public static final int TYPE_NS = 2;
  public static final int TYPE_SOA = 6;
  public static final int TYPE_AAAA = 28;
  public static final int TYPE_SRV = 33;
  public static final int TYPE_OPT = 41;
  public static final int TYPE_IXFR = 251;
  public static final int TYPE_AXFR = 252;
  public static final int TYPE_ANY = 255;

  public static final int CLASS_IN = 1;
  public static final int CLASS_ANY = 255;

  public static final int RCODE_NOERROR = 0;
  public static final int RCODE_FORMERR = 1;
  public static final int RCODE_SERVFAIL = 2;
  public static final int RCODE_NXDOMAIN = 3;
  public static final int RCODE_NOTIMP = 4;
  public static final int RCODE_REFUSED = 5;
  /** Extended rcode 16 (RFC 6891): the upper 8 bits go in the OPT record's TTL. */
  public static final int RCODE_BADVERS = 16;

  /** Second flags byte: QR, opcode (4 bits), AA, TC, RD. */
  public static final int FLAG_QR = 0x80;
  public static final int FLAG_AA = 0x04;
  public static final int FLAG_TC = 0x02;
  public static final int FLAG_RD = 0x01;

  /** A reply over UDP without EDNS0 must fit in this many bytes. */
  public static final int CLASSIC_UDP_LIMIT = 512;

  /** An OPT record without options: root name, type, class (payload size), TTL, rdlength. */
  public static final int OPT_SIZE = 11;

  static int u16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  static void putU16(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 8);
    b[at + 1] = (byte) value;
  }

  /** Writes an OPT record at {@code at}: our payload size and the extended rcode's upper bits. */
  static void putOpt(byte[] b, int at, int payloadSize, int extendedRcode) {
    b[at] = 0;
    putU16(b, at + 1, TYPE_OPT);
    putU16(b, at + 3, payloadSize);
    b[at + 5] = (byte) (extendedRcode >>> 4);
    b[at + 6] = 0; // version 0
    b[at + 7] = 0; // flags (DO not echoed: no DNSSEC here)
    b[at + 8] = 0;
    putU16(b, at + 9, 0);
  }
}
