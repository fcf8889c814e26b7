package io.wharf.store.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.WatchEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.DataUtils;

/**
 * The on-disk encoding of key-values (the key map's values) and of one revision's events (the
 * history map's values). Compact varint records, versioned by the store's format number; a
 * change here needs a new format number. Stateless and thread-safe.
 */
final class RecordCodec {
  private static final byte PUT = 1;
  private static final byte DELETE = 2;
  private static final byte[] EMPTY = new byte[0];

  private RecordCodec() {}

  /** Encodes everything of {@code kv} except its key (the map key holds it). */
  static byte[] encodeValue(KeyValue kv) {
    Bytes out = new Bytes(kv.value().length + 48);
    writeBody(out, kv);
    return out.toArray();
  }

  static KeyValue decodeValue(String key, byte[] bytes) {
    return readBody(ByteBuffer.wrap(bytes), key);
  }

  /** The modification revision stored in an encoded value, without decoding the rest. */
  static long modRevision(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    DataUtils.readVarLong(in);
    return DataUtils.readVarLong(in);
  }

  /** The lease stored in an encoded value, without decoding the rest. */
  static LeaseId lease(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    DataUtils.readVarLong(in);
    DataUtils.readVarLong(in);
    DataUtils.readVarLong(in);
    long lease = DataUtils.readVarLong(in);
    return lease == 0 ? LeaseId.NONE : new LeaseId(lease);
  }

  static byte[] encodeEvents(List<WatchEvent> events) {
    int estimate = 8;
    for (WatchEvent e : events) {
      estimate += 120 + e.kv().key().length() * 3 + e.kv().value().length
          + (e.prev() == null ? 0 : e.prev().value().length);
    }
    Bytes out = new Bytes(estimate);
    out.putVarLong(events.size());
    for (WatchEvent e : events) {
      out.put(e.type() == WatchEvent.Type.PUT ? PUT : DELETE);
      writeString(out, e.kv().key());
      writeBody(out, e.kv());
      if (e.prev() == null) {
        out.put((byte) 0);
      } else {
        out.put((byte) 1);
        writeBody(out, e.prev());
      }
    }
    return out.toArray();
  }

  static List<WatchEvent> decodeEvents(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int n = DataUtils.readVarInt(in);
    List<WatchEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      WatchEvent.Type type = in.get() == PUT ? WatchEvent.Type.PUT : WatchEvent.Type.DELETE;
      String key = readString(in);
      KeyValue kv = readBody(in, key);
      KeyValue prev = in.get() == 1 ? readBody(in, key) : null;
      events.add(new WatchEvent(type, kv, prev));
    }
    return events;
  }

  /** The key-value a DELETE event carries: the key, no value, the deleting revision. */
  static KeyValue tombstone(String key, long revision) {
    return new KeyValue(key, EMPTY, 0, revision, 0, LeaseId.NONE);
  }

  private static void writeBody(Bytes out, KeyValue kv) {
    out.putVarLong(kv.createRevision());
    out.putVarLong(kv.modRevision());
    out.putVarLong(kv.version());
    out.putVarLong(kv.lease().id());
    out.putVarLong(kv.value().length);
    out.put(kv.value());
  }

  private static KeyValue readBody(ByteBuffer in, String key) {
    long create = DataUtils.readVarLong(in);
    long mod = DataUtils.readVarLong(in);
    long version = DataUtils.readVarLong(in);
    long lease = DataUtils.readVarLong(in);
    byte[] value = new byte[DataUtils.readVarInt(in)];
    in.get(value);
    return new KeyValue(key, value, create, mod, version, lease == 0 ? LeaseId.NONE : new LeaseId(lease));
  }

  private static void writeString(Bytes out, String s) {
    byte[] b = s.getBytes(UTF_8);
    out.putVarLong(b.length);
    out.put(b);
  }

  private static String readString(ByteBuffer in) {
    byte[] b = new byte[DataUtils.readVarInt(in)];
    in.get(b);
    return new String(b, UTF_8);
  }

  /**
   * A growable byte array writing H2's varint format (readable with {@link DataUtils}). H2's own
   * {@code WriteBuffer} grows by a megabyte at a time, far too much for one small record.
   */
  static final class Bytes {
    private byte[] buf;
    private int size;

    Bytes(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    Bytes put(byte b) {
      ensure(1);
      buf[size++] = b;
      return this;
    }

    Bytes put(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
      return this;
    }

    /** Writes 7 bits per byte, low bits first, high bit set on all but the last. */
    Bytes putVarLong(long x) {
      ensure(10);
      while ((x & ~0x7FL) != 0) {
        buf[size++] = (byte) ((x & 0x7F) | 0x80);
        x >>>= 7;
      }
      buf[size++] = (byte) x;
      return this;
    }

    byte[] toArray() {
      return java.util.Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
      if (size + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
      }
    }
  }
}
