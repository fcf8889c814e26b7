package io.wharf.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.events.InvolvedObject;
import io.wharf.server.secrets.SecretSealer;
import io.wharf.store.KeyValue;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Resource persistence over the {@link Store}: reads, pages, and conditional writes of objects
 * that the API layer has already decoded and validated.
 *
 * <p>The server owns {@code metadata.revision} (the key's modRevision, never stored in the
 * value), {@code metadata.createdAt} and {@code metadata.updatedAt}. Every write commits with its
 * event through {@link ChangeWriter}. Secrets are sealed by the {@link SecretSealer} before they
 * are stored: objects read here hold envelopes, never plaintext values ({@link #plaintext} opens
 * them). Thread safety: safe for many threads.
 */
public final class ResourceRegistry {
  private final Store store;
  private final ObjectMapper json;
  private final ChangeWriter writer;
  private final SecretSealer sealer;

  /** A registry sealing secrets with {@link SecretSealer#inMemory()} (tests and benchmarks). */
  public ResourceRegistry(Store store, ObjectMapper json, ChangeWriter writer) {
    this(store, json, writer, SecretSealer.inMemory());
  }

  public ResourceRegistry(Store store, ObjectMapper json, ChangeWriter writer, SecretSealer sealer) {
    this.store = store;
    this.json = json;
    this.writer = writer;
    this.sealer = java.util.Objects.requireNonNull(sealer, "sealer");
  }

  public SecretSealer sealer() {
    return sealer;
  }

  /** The object as written to the store: a Secret's values sealed, anything else as it is. */
  public ObjectNode sealed(ResourceType type, ObjectNode object) {
    return type == ResourceType.SECRET ? sealer.seal(object) : object;
  }

  /** The object with a Secret's values opened (the guarded read, the planner's diff); others as they are. */
  public StoredObject plaintext(StoredObject object) {
    return object.type() == ResourceType.SECRET
        ? new StoredObject(object.type(), object.key(), sealer.open(object.object()), object.revision()) : object;
  }

  public Store store() {
    return store;
  }

  public ChangeWriter writer() {
    return writer;
  }

  public Optional<StoredObject> get(ResourceType type, String namespace, String name) {
    return read(ResourceKeys.key(type, namespace, name), type);
  }

  public Optional<StoredObject> read(String key, ResourceType type) {
    return store.get(key).map(kv -> decode(type, kv));
  }

  /** The stored object as a client's object compares with it: a Secret opened when its key is at hand. */
  private ObjectNode comparable(StoredObject before) {
    try {
      return plaintext(before).object();
    } catch (io.wharf.server.secrets.UnreadableSecretException e) {
      return before.object(); // sealed with a key this server lacks: anything the client sends is a change
    }
  }

  /** Decodes a stored value, setting {@code metadata.revision} from the key's revision. */
  public StoredObject decode(ResourceType type, KeyValue kv) {
    try {
      ObjectNode object = (ObjectNode) json.readTree(kv.value());
      object.withObjectProperty("metadata").put("revision", kv.modRevision());
      return new StoredObject(type, kv.key(), object, kv.modRevision());
    } catch (IOException | ClassCastException e) {
      throw new StoreException("stored value under " + kv.key() + " is not a JSON object", e);
    }
  }

  /**
   * Up to {@code limit} objects of {@code type} (in {@code namespace} when non-null) that match
   * {@code filter}, in key order, starting after key {@code startAfter} (null for the first page).
   */
  public ListPage list(ResourceType type, String namespace, Predicate<ObjectNode> filter, int limit,
      String startAfter) {
    return list(type, namespace, LabelSelector.EVERYTHING, filter, limit, startAfter);
  }

  /** As above, with a label selector that is also checked on the raw bytes before decoding. */
  public ListPage list(ResourceType type, String namespace, LabelSelector labels, Predicate<ObjectNode> filter,
      int limit, String startAfter) {
    String prefix = ResourceKeys.prefix(type, namespace);
    Predicate<ObjectNode> inNamespace = namespace == null || type.clusterScoped() ? o -> true
        : o -> namespace.equals(o.path("metadata").path("namespace").asText(null));
    List<StoredObject> items = new ArrayList<>();
    long revision = -1;
    String cursor = startAfter;
    String lastExamined = null;
    boolean more = true;
    while (more && items.size() < limit) {
      int chunk = Math.max(limit - items.size(), 64);
      RangeResult range = store.range(prefix, cursor, chunk);
      if (revision < 0) {
        revision = range.revision();
      }
      more = range.more();
      List<KeyValue> kvs = range.kvs();
      for (int i = 0; i < kvs.size(); i++) {
        KeyValue kv = kvs.get(i);
        lastExamined = kv.key();
        if (!labels.mightMatch(kv.value())) {
          continue;
        }
        StoredObject object = decode(type, kv);
        if (inNamespace.test(object.object()) && labels.matches(object.object()) && filter.test(object.object())) {
          items.add(object);
          if (items.size() == limit) {
            more = more || i < kvs.size() - 1;
            break;
          }
        }
      }
      if (kvs.isEmpty()) {
        break;
      }
      cursor = kvs.get(kvs.size() - 1).key();
    }
    return new ListPage(items, revision, more ? lastExamined : null);
  }

  public WriteResult create(ResourceType type, ObjectNode object) {
    String namespace = namespaceOf(type, object);
    String name = object.path("metadata").path("name").asText();
    String key = ResourceKeys.key(type, namespace, name);
    return writer.write(now -> {
      if (store.get(key).isPresent()) {
        return new ChangeWriter.Done<>(new WriteResult.AlreadyExists(type.kind(), namespace, name));
      }
      ObjectNode stored = sealed(type, stamped(object, now, now));
      return new ChangeWriter.Commit<>(List.of(Txn.Compare.absent(key)),
          List.of(new Txn.Put(key, bytes(stored))),
          List.of(draft(EventType.Created, type, namespace, name, "Created")),
          revision -> new WriteResult.Written(withRevision(type, key, stored, revision), true));
    });
  }

  /**
   * Creates or replaces the object's metadata and spec; the stored status is kept (status has its
   * own path). {@code expectedRevision} 0 means unconditional, else it must equal the stored one.
   */
  public WriteResult replace(ResourceType type, ObjectNode object, long expectedRevision) {
    String namespace = namespaceOf(type, object);
    String name = object.path("metadata").path("name").asText();
    String key = ResourceKeys.key(type, namespace, name);
    return writer.write(now -> {
      Optional<KeyValue> current = store.get(key);
      long actual = current.map(KeyValue::modRevision).orElse(0L);
      if (expectedRevision != 0 && expectedRevision != actual) {
        return new ChangeWriter.Done<>(new WriteResult.Conflict(type.kind(), name, expectedRevision, actual));
      }
      if (current.isEmpty()) {
        ObjectNode stored = sealed(type, stamped(object, now, now));
        return new ChangeWriter.Commit<>(List.of(Txn.Compare.absent(key)),
            List.of(new Txn.Put(key, bytes(stored))),
            List.of(draft(EventType.Created, type, namespace, name, "Created")),
            revision -> new WriteResult.Written(withRevision(type, key, stored, revision), true));
      }
      StoredObject before = decode(type, current.get());
      ObjectNode next = object.deepCopy();
      next.set("status", before.object().path("status").deepCopy());
      if (sameContent(comparable(before), next)) {
        return new ChangeWriter.Done<>(new WriteResult.Written(before, false));
      }
      ObjectNode stored = sealed(type, stamped(next, createdAt(before, now), now));
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, actual)),
          List.of(new Txn.Put(key, bytes(stored))),
          List.of(draft(EventType.Updated, type, namespace, name, "Updated")),
          revision -> new WriteResult.Written(withRevision(type, key, stored, revision), false));
    });
  }

  /** Replaces only {@code status} of an existing object. */
  public WriteResult replaceStatus(ResourceType type, String namespace, String name, JsonNode status,
      long expectedRevision) {
    String key = ResourceKeys.key(type, namespace, name);
    return writer.write(now -> {
      Optional<KeyValue> current = store.get(key);
      if (current.isEmpty()) {
        return new ChangeWriter.Done<>(new WriteResult.NotFound(type.kind(), namespace, name));
      }
      long actual = current.get().modRevision();
      if (expectedRevision != 0 && expectedRevision != actual) {
        return new ChangeWriter.Done<>(new WriteResult.Conflict(type.kind(), name, expectedRevision, actual));
      }
      StoredObject before = decode(type, current.get());
      ObjectNode next = before.object().deepCopy();
      next.set("status", status == null ? json.createObjectNode() : status.deepCopy());
      if (sameContent(before.object(), next)) {
        return new ChangeWriter.Done<>(new WriteResult.Written(before, false));
      }
      ObjectNode stored = sealed(type, stamped(next, createdAt(before, now), now));
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, actual)),
          List.of(new Txn.Put(key, bytes(stored))),
          List.of(draft(EventType.Updated, type, namespace, name, "StatusUpdated")),
          revision -> new WriteResult.Written(withRevision(type, key, stored, revision), false));
    });
  }

  /** Deletes; {@code expectedRevision} 0 means unconditional. The result carries the last state. */
  public WriteResult delete(ResourceType type, String namespace, String name, long expectedRevision) {
    String key = ResourceKeys.key(type, namespace, name);
    return writer.write(now -> {
      Optional<KeyValue> current = store.get(key);
      if (current.isEmpty()) {
        return new ChangeWriter.Done<>(new WriteResult.NotFound(type.kind(), namespace, name));
      }
      long actual = current.get().modRevision();
      if (expectedRevision != 0 && expectedRevision != actual) {
        return new ChangeWriter.Done<>(new WriteResult.Conflict(type.kind(), name, expectedRevision, actual));
      }
      StoredObject last = decode(type, current.get());
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, actual)),
          List.of(new Txn.Delete(key)),
          List.of(draft(EventType.Deleted, type, namespace, name, "Deleted")),
          revision -> new WriteResult.Written(last, false));
    });
  }

  /** The object as it would be stored: server-owned metadata set, no revision inside. */
  public ObjectNode stamped(ObjectNode object, Instant createdAt, Instant updatedAt) {
    ObjectNode copy = object.deepCopy();
    ObjectNode metadata = copy.withObjectProperty("metadata");
    metadata.remove("revision");
    metadata.put("createdAt", createdAt.toString());
    metadata.put("updatedAt", updatedAt.toString());
    return copy;
  }

  public StoredObject withRevision(ResourceType type, String key, ObjectNode stored, long revision) {
    ObjectNode copy = stored.deepCopy();
    (copy.withObjectProperty("metadata")).put("revision", revision);
    return new StoredObject(type, key, copy, revision);
  }

  public static Instant createdAt(StoredObject before, Instant fallback) {
    String text = before.object().path("metadata").path("createdAt").asText(null);
    try {
      return text == null ? fallback : Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }

  /** Equal ignoring server-owned metadata (revision and timestamps). */
  public static boolean sameContent(ObjectNode a, ObjectNode b) {
    return withoutServerFields(a).equals(withoutServerFields(b));
  }

  private static ObjectNode withoutServerFields(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    JsonNode metadata = copy.path("metadata");
    if (metadata instanceof ObjectNode m) {
      m.remove(List.of("revision", "createdAt", "updatedAt"));
    }
    return copy;
  }

  public byte[] bytes(ObjectNode object) {
    try {
      return json.writeValueAsBytes(object);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode object", e);
    }
  }

  public static EventDraft draft(EventType type, ResourceType kind, String namespace, String name, String reason) {
    return draft(type, kind, namespace, name, reason, "");
  }

  public static EventDraft draft(EventType type, ResourceType kind, String namespace, String name,
      String reason, String message) {
    return new EventDraft(type, new InvolvedObject(kind.kind(), kind.clusterScoped() ? null : namespace, name),
        reason, message);
  }

  private static String namespaceOf(ResourceType type, ObjectNode object) {
    return type.clusterScoped() ? null : object.path("metadata").path("namespace").asText("default");
  }
}
