package io.wharf.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Where audit entries live in the store and how they are numbered: {@value #PREFIX}{sequence},
 * sixteen digits, from the counter at {@value #SEQUENCE_KEY}. Every transaction that writes an
 * entry bumps the counter with a compare on its revision (as {@link io.wharf.server.events.EventLog}
 * does), so servers never hand out one number twice and keys list in commit order.
 *
 * <p>An entry written in the transaction of the change it records has {@code "committed": true};
 * its {@code revision} is its key's {@code modRevision}, filled in when read. Entries of calls that
 * changed nothing have no revision.
 *
 * <p>Thread safety: the cached counter is read and advanced only under
 * {@link io.wharf.server.registry.ChangeWriter}'s lock.
 */
public final class AuditLog {
  public static final String SEQUENCE_KEY = "/wharf/seq/audit";
  public static final String PREFIX = "/wharf/audit/";

  private final Store store;
  private final ObjectMapper json;
  private Sequence cached;

  public AuditLog(Store store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** The last number handed out and the counter key's revision (0 when it does not exist yet). */
  public record Sequence(long last, long modRevision) {}

  public static String key(long sequence) {
    return PREFIX + String.format("%016d", sequence);
  }

  /** The sequence number in an entry key, or -1 when the key is not an entry key. */
  public static long sequenceOf(String key) {
    if (!key.startsWith(PREFIX) || key.length() != PREFIX.length() + 16) {
      return -1;
    }
    try {
      return Long.parseLong(key.substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public static Sequence read(Store store) {
    Optional<KeyValue> kv = store.get(SEQUENCE_KEY);
    return kv.map(k -> new Sequence(Long.parseLong(new String(k.value(), StandardCharsets.UTF_8)), k.modRevision()))
        .orElse(new Sequence(0, 0));
  }

  Sequence current() {
    if (cached == null) {
      cached = read(store);
    }
    return cached;
  }

  Txn.Compare compare(Sequence sequence) {
    return new Txn.Compare(SEQUENCE_KEY, sequence.modRevision());
  }

  /** The entry numbered after {@code sequence} (its {@code sequence} field set here) and the counter bump. */
  List<Txn.Op> ops(Sequence sequence, ObjectNode entry) {
    long n = sequence.last() + 1;
    entry.put("sequence", n);
    return List.of(new Txn.Put(key(n), bytes(entry)),
        new Txn.Put(SEQUENCE_KEY, Long.toString(n).getBytes(StandardCharsets.UTF_8)));
  }

  void committed(Sequence sequence, long revision) {
    cached = new Sequence(sequence.last() + 1, revision);
  }

  void forget() {
    cached = null;
  }

  byte[] bytes(ObjectNode entry) {
    try {
      return json.writeValueAsBytes(entry);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode audit entry", e);
    }
  }

  /** A stored entry as the API shows it: with {@code revision} (null unless committed). */
  public static ObjectNode decode(ObjectMapper json, KeyValue kv) {
    ObjectNode entry;
    try {
      entry = (ObjectNode) json.readTree(kv.value());
    } catch (IOException | ClassCastException e) {
      entry = json.createObjectNode().put("kind", "AuditEntry").put("unreadable", true);
      entry.put("sequence", sequenceOf(kv.key()));
    }
    if (entry.path("committed").asBoolean(false)) {
      entry.put("revision", kv.modRevision());
    } else {
      entry.putNull("revision");
    }
    return entry;
  }
}
