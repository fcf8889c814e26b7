package io.wharf.server.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.sequenced.SequenceCounter;
import io.wharf.server.sequenced.SequencedLog;
import io.wharf.server.sequenced.SequencedLog.Sequence;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.time.Instant;
import java.util.List;

/**
 * Turns {@link EventDraft}s into store writes that go into the same transaction as the change
 * they record.
 *
 * <p>Events are a {@link SequencedLog} numbered by the counter at {@value #SEQUENCE_KEY}; every
 * transaction that records events also bumps the counter with a compare on its revision, so two
 * writers can never hand out the same number and event keys ({@code /wharf/r/events/0000000000000042})
 * list in the order the events were committed, which is revision order. An event's name is its
 * number; its {@code metadata.revision} is the revision of the transaction that wrote it.
 *
 * <p>Thread safety: not thread-safe. The cached counter is read and advanced only by the single
 * writer that holds {@link io.wharf.server.registry.ChangeWriter}'s lock.
 */
public final class EventLog {
  public static final String SEQUENCE_KEY = "/wharf/seq/events";
  public static final String PREFIX = "/wharf/r/events/";
  /** The key layout and counter of events. */
  public static final SequencedLog LOG = new SequencedLog(SEQUENCE_KEY, PREFIX);

  private final ObjectMapper json;
  private final SequenceCounter counter;

  public EventLog(Store store, ObjectMapper json) {
    this.json = json;
    this.counter = new SequenceCounter(store, LOG);
  }

  public static String key(long sequence) {
    return LOG.key(sequence);
  }

  /** The sequence number in an event key, or -1 when the key is not an event key. */
  public static long sequenceOf(String key) {
    return LOG.sequenceOf(key);
  }

  /** Reads the counter from the store. */
  public static Sequence read(Store store) {
    return LOG.read(store);
  }

  public Sequence current() {
    return counter.current();
  }

  public Txn.Compare compare(Sequence sequence) {
    return LOG.compare(sequence);
  }

  /** The puts that record {@code drafts} numbered after {@code sequence}, and the counter bump. */
  public List<Txn.Op> ops(Sequence sequence, List<EventDraft> drafts, Instant at) {
    return LOG.appendOps(sequence, drafts.size(),
        n -> encode(n, drafts.get((int) (n - sequence.last() - 1)), at));
  }

  /** The transaction built from {@code sequence} committed at {@code revision}. */
  public void committed(Sequence sequence, int count, long revision) {
    counter.committed(sequence, count, revision);
  }

  /** The cached counter may be stale (a transaction failed or its outcome is unknown). */
  public void forget() {
    counter.forget();
  }

  private byte[] encode(long n, EventDraft draft, Instant at) {
    ObjectNode event = json.createObjectNode();
    event.put("kind", "Event");
    ObjectNode metadata = event.putObject("metadata");
    metadata.put("name", SequencedLog.number(n));
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
