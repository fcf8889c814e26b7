package io.wharf.store.etcd;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Maps store keys to etcd keys under a root prefix, and prefixes to etcd key ranges.
 *
 * <p>etcd orders keys bytewise, as the store contract does, so all range arithmetic is on the
 * UTF-8 bytes. A range end of {@code {0}} is etcd's "to the end of the keyspace".
 * Immutable and thread-safe.
 */
final class Keyspace {
  private static final byte[] END_OF_KEYSPACE = {0};

  private final byte[] root;

  Keyspace(String root) {
    this.root = root.getBytes(StandardCharsets.UTF_8);
  }

  ByteSequence key(String key) {
    return ByteSequence.from(raw(key));
  }

  /** The first etcd key of {@code prefix}'s range (never empty: etcd reads empty as "no key"). */
  ByteSequence rangeStart(String prefix) {
    byte[] raw = raw(prefix);
    return ByteSequence.from(raw.length == 0 ? END_OF_KEYSPACE : raw);
  }

  /**
   * The first etcd key of the range of keys under {@code prefix} that sort strictly after
   * {@code startAfter}: the smallest key greater than {@code startAfter} is it followed by a zero
   * byte.
   */
  ByteSequence rangeStart(String prefix, String startAfter) {
    if (startAfter == null || startAfter.isEmpty()) {
      return rangeStart(prefix);
    }
    byte[] after = raw(startAfter);
    byte[] next = Arrays.copyOf(after, after.length + 1);
    byte[] first = raw(prefix);
    return ByteSequence.from(Arrays.compareUnsigned(next, first) > 0 ? next : first);
  }

  /** The etcd range end (exclusive) of every key starting with {@code prefix}. */
  ByteSequence rangeEnd(String prefix) {
    return ByteSequence.from(prefixEnd(raw(prefix)));
  }

  /** The store key of an etcd key of this keyspace. */
  String strip(ByteSequence etcdKey) {
    byte[] bytes = etcdKey.getBytes();
    return new String(bytes, root.length, bytes.length - root.length, StandardCharsets.UTF_8);
  }

  private byte[] raw(String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    if (root.length == 0) {
      return k;
    }
    byte[] joined = Arrays.copyOf(root, root.length + k.length);
    System.arraycopy(k, 0, joined, root.length, k.length);
    return joined;
  }

  /** The smallest byte string greater than every string starting with {@code prefix}. */
  static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return END_OF_KEYSPACE.clone();
  }
}
