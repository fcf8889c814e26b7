package io.wharf.store.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.WatchEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;

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
    WriteBuffer out = new WriteBuffer(kv.value().length + 32);
    writeBody(out, kv);
    return toBytes(out);
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
    WriteBuffer out = new WriteBuffer(256);
    out.putVarInt(events.size());
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
    return toBytes(out);
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

  private static void writeBody(WriteBuffer out, KeyValue kv) {
    out.putVarLong(kv.createRevision());
    out.putVarLong(kv.modRevision());
    out.putVarLong(kv.version());
    out.putVarLong(kv.lease().id());
    out.putVarInt(kv.value().length);
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

  private static void writeString(WriteBuffer out, String s) {
    byte[] b = s.getBytes(UTF_8);
    out.putVarInt(b.length);
    out.put(b);
  }

  private static String readString(ByteBuffer in) {
    byte[] b = new byte[DataUtils.readVarInt(in)];
    in.get(b);
    return new String(b, UTF_8);
  }

  private static byte[] toBytes(WriteBuffer out) {
    ByteBuffer buf = out.getBuffer();
    buf.flip();
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    return bytes;
  }
}
