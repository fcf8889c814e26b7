package io.wharf.dns.answer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes one DNS message, compressing names against those already written (RFC 1035 §4.1.4).
 * Used when a {@link ZoneIndex} is built, not per query. Not thread-safe.
 */
final class MessageWriter {
  private byte[] buffer = new byte[512];
  private int size;
  private final Map<String, Integer> written = new HashMap<>();
  private final boolean compress;

  MessageWriter(boolean compress) {
    this.compress = compress;
  }

  int size() {
    return size;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  void u8(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  void u16(int value) {
    ensure(2);
    Wire.putU16(buffer, size, value);
    size += 2;
  }

  void u32(long value) {
    u16((int) (value >>> 16) & 0xffff);
    u16((int) value & 0xffff);
  }

  void bytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buffer, size, b.length);
    size += b.length;
  }

  void setU16(int at, int value) {
    Wire.putU16(buffer, at, value);
  }

  /** A dotted absolute name without the final dot ("" is the root). */
  void name(String name) {
    String rest = name;
    while (!rest.isEmpty()) {
      Integer at = compress && !suspended ? written.get(rest) : null;
      if (at != null) {
        u16(0xc000 | at);
        return;
      }
      if (compress && size < 0x3fff) {
        written.put(rest, size);
      }
      int dot = rest.indexOf('.');
      String label = dot < 0 ? rest : rest.substring(0, dot);
      byte[] bytes = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      u8(bytes.length);
      bytes(bytes);
      rest = dot < 0 ? "" : rest.substring(dot + 1);
    }
    u8(0);
  }

  /** One resource record: owner, type, class IN, TTL, then the data with its length. */
  void record(String owner, int ttl, Rdata data) {
    name(owner);
    u16(data.type());
    u16(Wire.CLASS_IN);
    u32(ttl);
    int lengthAt = size;
    u16(0);
    int start = size;
    switch (data) {
      case Rdata.A a -> bytes(a.address());
      case Rdata.Aaaa a -> bytes(a.address());
      case Rdata.Srv srv -> {
        u16(srv.priority());
        u16(srv.weight());
        u16(srv.port());
        // RFC 2782: the target must not be compressed.
        boolean was = compressOff();
        name(srv.target());
        compressOn(was);
      }
      case Rdata.Ns ns -> name(ns.host());
      case Rdata.Soa soa -> {
        name(soa.mname());
        name(soa.rname());
        u32(soa.serial());
        u32(soa.refresh());
        u32(soa.retry());
        u32(soa.expire());
        u32(soa.minimum());
      }
    }
    setU16(lengthAt, size - start);
  }

  private boolean suspended;

  private boolean compressOff() {
    boolean was = suspended;
    suspended = true;
    return was;
  }

  private void compressOn(boolean was) {
    suspended = was;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }

  /** The dotted name as wire bytes (uncompressed), for lookup keys. */
  static byte[] wireName(String name) {
    MessageWriter w = new MessageWriter(false);
    w.name(name);
    return w.toByteArray();
  }
}
