package io.wharf.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.events.EventLog;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.sequenced.SequencedLog;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link ChangeWriter.Audit} of the API's writer: when the thread committing a transaction
 * serves an API request ({@link AuditScope}), adds that request's entry to the transaction. The
 * entry's diff is made from the values the transaction replaces, read here under the writer's
 * lock; a key the transaction does not already compare is compared at the revision read, so the
 * diff is exactly what the transaction changed. Also builds the entries the
 * {@link AuditRecorder} appends for calls that changed nothing.
 *
 * <p>Thread safety: {@link #prepare} runs under the writer's lock.
 */
public final class AuditTrail implements ChangeWriter.Audit {
  /** An entry never takes more than this of a transaction; bigger diffs lose their before/after. */
  static final long MAX_ENTRY_BYTES = 256 * 1024;
  private static final String RESOURCES = "/wharf/r/";

  private final Store store;
  private final ObjectMapper json;
  private final AuditLog log;

  public AuditTrail(Store store, ObjectMapper json) {
    this.store = store;
    this.json = json;
    this.log = new AuditLog(store, json);
  }

  @Override
  public Recording prepare(List<Txn.Op> ops, List<Txn.Compare> compares, long budgetBytes, Instant now) {
    AuditScope scope = AuditScope.current();
    if (scope == null || !scope.inTransaction()) {
      return null;
    }
    Set<String> compared = new HashSet<>();
    compares.forEach(c -> compared.add(c.key()));
    List<Txn.Compare> extra = new ArrayList<>();
    List<ObjectNode> changes = new ArrayList<>();
    for (Txn.Op op : ops) {
      switch (op) {
        case Txn.Put put -> change(put.key(), put.value(), compared, extra, changes);
        case Txn.Delete delete -> change(delete.key(), null, compared, extra, changes);
        case Txn.DeletePrefix prefix -> {
          if (prefix.prefix().startsWith(RESOURCES)) {
            changes.add(json.createObjectNode().put("action", "deleted").put("prefix", prefix.prefix()));
          }
        }
      }
    }
    if (changes.isEmpty() && !scope.appending()) {
      return null; // nothing of the API's objects changes: not this request's change to record
    }
    ObjectNode entry = scope.appending() ? scope.pendingEntry() : committedEntry(scope, now, changes);
    fit(entry, Math.min(MAX_ENTRY_BYTES, budgetBytes - 64));
    SequencedLog.Sequence sequence = log.current();
    List<Txn.Compare> addedCompares = new ArrayList<>(extra);
    addedCompares.add(log.compare(sequence));
    List<Txn.Op> addedOps = log.ops(sequence, entry);
    return new Recording() {
      @Override
      public List<Txn.Compare> compares() {
        return addedCompares;
      }

      @Override
      public List<Txn.Op> ops() {
        return addedOps;
      }

      @Override
      public void committed(long revision) {
        log.committed(sequence, revision);
        scope.recordedOne();
      }

      @Override
      public void failed() {
        log.forget();
      }
    };
  }

  private void change(String key, byte[] value, Set<String> compared, List<Txn.Compare> extra,
      List<ObjectNode> changes) {
    if (!key.startsWith(RESOURCES) || key.startsWith(EventLog.PREFIX)) {
      return;
    }
    Optional<KeyValue> before = store.get(key);
    if (compared.add(key)) {
      extra.add(new Txn.Compare(key, before.map(KeyValue::modRevision).orElse(0L)));
    }
    JsonNode was = before.map(kv -> parse(kv.value())).orElse(null);
    JsonNode now = value == null ? null : parse(value);
    if (was == null && now == null) {
      return; // deleting what is not there
    }
    changes.add(ChangeDiff.of(json, was, now));
  }

  private JsonNode parse(byte[] value) {
    try {
      return json.readTree(value);
    } catch (IOException e) {
      return json.createObjectNode().put("kind", "").put("unreadable", true);
    }
  }

  /** The entry of a request whose change commits now: the route's success status. */
  private ObjectNode committedEntry(AuditScope scope, Instant now, List<ObjectNode> changes) {
    AuditedRoutes.Rule rule = scope.rule();
    ObjectNode object = object(scope, rule, changes);
    ObjectNode primary = primary(object, changes);
    int status = rule.successStatus();
    if (status == AuditedRoutes.CREATED_OR_OK) {
      status = primary != null && "created".equals(primary.path("action").asText()) ? 201 : 200;
    }
    ObjectNode result = json.createObjectNode().put("status", status);
    scope.recordedStatus(status);
    return entry(scope, now, rule.verb(), object, true, result, changes);
  }

  /** An entry of a request that committed nothing (refused, or nothing to change), for the recorder. */
  ObjectNode uncommittedEntry(AuditScope scope, Instant now, ObjectNode result) {
    AuditedRoutes.Rule rule = scope.rule();
    return entry(scope, now, rule.verb(), object(scope, rule, List.of()), false, result, List.of());
  }

  private ObjectNode entry(AuditScope scope, Instant now, String verb, ObjectNode object, boolean committed,
      ObjectNode result, List<ObjectNode> changes) {
    ObjectNode entry = json.createObjectNode();
    entry.put("kind", "AuditEntry");
    entry.put("sequence", 0);
    entry.put("time", now.toString());
    entry.put("principal", scope.principal());
    entry.put("verb", verb);
    if (object == null) {
      entry.putNull("object");
    } else {
      entry.set("object", object);
    }
    entry.put("committed", committed);
    ObjectNode request = entry.putObject("request");
    request.put("method", scope.method());
    request.put("path", scope.path());
    request.put("source", scope.source());
    if (scope.userAgent() != null) {
      request.put("userAgent", scope.userAgent());
    }
    entry.set("result", result);
    ArrayNode list = entry.putArray("changes");
    changes.forEach(list::add);
    return entry;
  }

  /** Which object the call acts on, from the handler's description, the path, else the change. */
  private ObjectNode object(AuditScope scope, AuditedRoutes.Rule rule, List<ObjectNode> changes) {
    AuditScope.Target described = scope.described();
    Map<String, String> params = scope.pathParams();
    String kind;
    String namespace;
    String name;
    if (described != null) {
      kind = described.kind();
      namespace = described.namespace();
      name = described.name();
    } else {
      kind = rule.kind();
      if (kind == null && params.containsKey("plural")) {
        kind = ResourceType.byPlural(params.get("plural")).map(ResourceType::kind).orElse(params.get("plural"));
      }
      namespace = params.get("ns");
      name = params.containsKey("name") ? params.get("name")
          : params.containsKey("user") ? params.get("user") : params.get("id");
    }
    if (kind == null && !changes.isEmpty()) {
      // a route AuditedRoutes does not describe: the object is what it changed
      ObjectNode first = changes.get(0);
      kind = first.path("kind").asText();
      namespace = first.path("namespace").asText(null);
      name = first.path("name").asText(null);
    }
    if (kind == null) {
      return null; // no route matched, or an undescribed one refused: nothing is named
    }
    if (name == null) {
      for (ObjectNode c : changes) {
        if (kind.equals(c.path("kind").asText()) && (namespace == null || namespace.equals(c.path("namespace").asText()))) {
          name = c.path("name").asText();
          break;
        }
      }
    }
    ObjectNode object = json.createObjectNode().put("kind", kind);
    if (namespace != null) {
      object.put("namespace", namespace);
    }
    if (name != null) {
      object.put("name", name);
    }
    return object;
  }

  private static ObjectNode primary(ObjectNode object, List<ObjectNode> changes) {
    if (object != null) {
      for (ObjectNode c : changes) {
        if (c.path("kind").asText().equals(object.path("kind").asText())
            && c.path("name").asText().equals(object.path("name").asText())) {
          return c;
        }
      }
    }
    return changes.isEmpty() ? null : changes.get(0);
  }

  /** Keeps an entry within {@code budget} bytes: first without before/after, then without the list. */
  private void fit(ObjectNode entry, long budget) {
    if (log.bytes(entry).length <= budget) {
      return;
    }
    ArrayNode changes = (ArrayNode) entry.get("changes");
    for (JsonNode c : changes) {
      ((ObjectNode) c).remove("before");
      ((ObjectNode) c).remove("after");
    }
    entry.put("diffOmitted", "the before and after of the changes did not fit the transaction");
    if (log.bytes(entry).length <= budget) {
      return;
    }
    int count = changes.size();
    entry.putArray("changes");
    entry.put("diffOmitted", count + " changes did not fit the transaction; see the events at this revision");
  }
}
