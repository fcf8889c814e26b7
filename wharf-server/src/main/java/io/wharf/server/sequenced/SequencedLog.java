package io.wharf.server.sequenced;

import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Where a sequenced log lives in the store: entry {@code n} at {@code prefix} followed by {@code n}
 * in sixteen digits ({@code /wharf/audit/0000000000000042}), so keys list in number order, and the
 * last number handed out at {@code counterKey} as a decimal string.
 *
 * <p>Every transaction that appends also bumps the counter and compares the counter's revision
 * ({@link #compare}, {@link #appendOps}): of two writers that read the same counter, on one server
 * or on several, one commits and the other must read it again, so no number is handed out twice and
 * numbers follow commit order, which is revision order.
 *
 * <p>Immutable and thread-safe. {@link SequenceCounter} caches the counter for one writer.
 */
public record SequencedLog(String counterKey, String prefix) {
  /** How many digits an entry's number has in its key. */
  public static final int DIGITS = 16;

  /** The last number handed out and the counter key's revision (0 when it does not exist yet). */
  public record Sequence(long last, long modRevision) {}

  public SequencedLog {
    Objects.requireNonNull(counterKey, "counterKey");
    Objects.requireNonNull(prefix, "prefix");
  }

  /** {@code n} as it stands in keys: sixteen digits, zero-padded. */
  public static String number(long n) {
    return String.format("%0" + DIGITS + "d", n);
  }

  public String key(long sequence) {
    return prefix + number(sequence);
  }

  /** The number in an entry key, or -1 when the key is not one of this log's entry keys. */
  public long sequenceOf(String key) {
    if (!key.startsWith(prefix) || key.length() != prefix.length() + DIGITS) {
      return -1;
    }
    try {
      return Long.parseLong(key.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Reads the counter from the store. */
  public Sequence read(Store store) {
    Optional<KeyValue> kv = store.get(counterKey);
    return kv.map(k -> new Sequence(Long.parseLong(new String(k.value(), StandardCharsets.UTF_8)), k.modRevision()))
        .orElse(new Sequence(0, 0));
  }

  /** The compare that makes a transaction fail when another writer moved the counter past {@code sequence}. */
  public Txn.Compare compare(Sequence sequence) {
    return new Txn.Compare(counterKey, sequence.modRevision());
  }

  /**
   * The puts of {@code count} entries numbered after {@code sequence} ({@code value} makes the
   * stored bytes of entry {@code n}), then the counter bump.
   */
  public List<Txn.Op> appendOps(Sequence sequence, int count, LongFunction<byte[]> value) {
    List<Txn.Op> ops = new ArrayList<>(count + 1);
    long n = sequence.last();
    for (int i = 0; i < count; i++) {
      n++;
      ops.add(new Txn.Put(key(n), value.apply(n)));
    }
    ops.add(new Txn.Put(counterKey, Long.toString(n).getBytes(StandardCharsets.UTF_8)));
    return ops;
  }
}
