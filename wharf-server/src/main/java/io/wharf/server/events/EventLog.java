package io.wharf.server.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns {@link EventDraft}s into store writes that go into the same transaction as the change
 * they record.
 *
 * <p>Events are numbered by a counter kept at {@value #SEQUENCE_KEY}; every transaction that
 * records events also bumps the counter with a compare on its revision, so two writers can never
 * hand out the same number and event keys ({@code /wharf/r/events/0000000000000042}) list in the
 * order the events were committed, which is revision order. An event's name is its number;
 * its {@code metadata.revision} is the revision of the transaction that wrote it.
 *
 * <p>Thread safety: not thread-safe. The cached counter is read and advanced only by the single
 * writer that holds {@link io.wharf.server.registry.ChangeWriter}'s lock.
 */
public final class EventLog {
  public static final String SEQUENCE_KEY = "/wharf/seq/events";
  public static final String PREFIX = "/wharf/r/events/";

  private final Store store;
  private final ObjectMapper json;
  private Sequence cached;

  public EventLog(Store store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** The last number handed out and the counter key's revision (0 when it does not exist yet). */
  public record Sequence(long last, long modRevision) {}

  public static String key(long sequence) {
    return PREFIX + String.format("%016d", sequence);
  }

  /** The sequence number in an event key, or -1 when the key is not an event key. */
  public static long sequenceOf(String key) {
    if (!key.startsWith(PREFIX)) {
      return -1;
    }
    try {
      return Long.parseLong(key.substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Reads the counter from the store. */
  public static Sequence read(Store store) {
    Optional<KeyValue> kv = store.get(SEQUENCE_KEY);
    return kv.map(k -> new Sequence(Long.parseLong(new String(k.value(), StandardCharsets.UTF_8)), k.modRevision()))
        .orElse(new Sequence(0, 0));
  }

  public Sequence current() {
    if (cached == null) {
      cached = read(store);
    }
    return cached;
  }

  public Txn.Compare compare(Sequence sequence) {
    return new Txn.Compare(SEQUENCE_KEY, sequence.modRevision());
  }

  /** The puts that record {@code drafts} numbered after {@code sequence}, and the counter bump. */
  public List<Txn.Op> ops(Sequence sequence, List<EventDraft> drafts, Instant at) {
    List<Txn.Op> ops = new ArrayList<>(drafts.size() + 1);
    long n = sequence.last();
    for (EventDraft draft : drafts) {
      n++;
      ops.add(new Txn.Put(key(n), encode(n, draft, at)));
    }
    ops.add(new Txn.Put(SEQUENCE_KEY, Long.toString(n).getBytes(StandardCharsets.UTF_8)));
    return ops;
  }

  /** The transaction built from {@code sequence} committed at {@code revision}. */
  public void committed(Sequence sequence, int count, long revision) {
    cached = new Sequence(sequence.last() + count, revision);
  }

  /** The cached counter may be stale (a transaction failed or its outcome is unknown). */
  public void forget() {
    cached = null;
  }

  private byte[] encode(long n, EventDraft draft, Instant at) {
    ObjectNode event = json.createObjectNode();
    event.put("kind", "Event");
    ObjectNode metadata = event.putObject("metadata");
    metadata.put("name", String.format("%016d", n));
    if (draft.involved().namespace() != null) {
      metadata.put("namespace", draft.involved().namespace());
    }
    metadata.put("createdAt", at.toString());
    ObjectNode spec = event.putObject("spec");
    spec.put("type", draft.type().name());
    ObjectNode involved = spec.putObject("involved");
    involved.put("kind", draft.involved().kind());
    if (draft.involved().namespace() != null) {
      involved.put("namespace", draft.involved().namespace());
    }
    involved.put("name", draft.involved().name());
    spec.put("reason", draft.reason());
    spec.put("message", draft.message());
    spec.put("at", at.toString());
    try {
      return json.writeValueAsBytes(event);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode event", e);
    }
  }
}
