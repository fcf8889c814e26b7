package io.wharf.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.sequenced.SequenceCounter;
import io.wharf.server.sequenced.SequencedLog;
import io.wharf.server.sequenced.SequencedLog.Sequence;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Where audit entries live in the store and how they are numbered: a {@link SequencedLog} at
 * {@value #PREFIX}{sequence}, sixteen digits, from the counter at {@value #SEQUENCE_KEY}. Every
 * transaction that writes an entry bumps the counter with a compare on its revision (as
 * {@link io.wharf.server.events.EventLog} does), so servers never hand out one number twice and
 * keys list in commit order.
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
  /** The key layout and counter of audit entries. */
  public static final SequencedLog LOG = new SequencedLog(SEQUENCE_KEY, PREFIX);

  private final ObjectMapper json;
  private final SequenceCounter counter;

  public AuditLog(Store store, ObjectMapper json) {
    this.json = json;
    this.counter = new SequenceCounter(store, LOG);
  }

  public static String key(long sequence) {
    return LOG.key(sequence);
  }

  /** The sequence number in an entry key, or -1 when the key is not an entry key. */
  public static long sequenceOf(String key) {
    return LOG.sequenceOf(key);
  }

  public static Sequence read(Store store) {
    return LOG.read(store);
  }

  Sequence current() {
    return counter.current();
  }

  Txn.Compare compare(Sequence sequence) {
    return LOG.compare(sequence);
  }

  /** The entry numbered after {@code sequence} (its {@code sequence} field set here) and the counter bump. */
  List<Txn.Op> ops(Sequence sequence, ObjectNode entry) {
    return LOG.appendOps(sequence, 1, n -> bytes(entry.put("sequence", n)));
  }

  void committed(Sequence sequence, long revision) {
    counter.committed(sequence, 1, revision);
  }

  void forget() {
    counter.forget();
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

  /** When a stored entry was made, or null when its time cannot be read. */
  static Instant timeOf(ObjectMapper json, KeyValue kv) {
    try {
      return Instant.parse(json.readTree(kv.value()).path("time").asText());
    } catch (IOException | DateTimeParseException e) {
      return null;
    }
  }
}
