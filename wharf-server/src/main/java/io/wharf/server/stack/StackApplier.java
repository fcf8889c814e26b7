package io.wharf.server.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.stack.StackDocument;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Applies a stack: plans it on fresh reads and commits every change in one store transaction
 * with a revision compare on every key it writes (0 = "still absent"), plus one event per
 * change (or, when that would not fit one transaction of the store's {@link
 * io.wharf.store.StoreLimits}, one summary event on the Stack). A concurrent change to any of
 * them fails the compares; the plan is then made again on
 * the new state (and, with {@code expectRevision}, refused as stale), so a commit never mixes
 * two states. Thread safety: safe for many threads (writes serialize in {@link ChangeWriter}).
 */
public final class StackApplier {
  private static final ObjectMapper LAST_STATE = new ObjectMapper();
  private static final Duration HISTORY_TIMEOUT = Duration.ofSeconds(10);
  private final ResourceRegistry registry;
  private final StackPlanner planner;

  public StackApplier(ResourceRegistry registry, StackPlanner planner) {
    this.registry = registry;
    this.planner = planner;
  }

  /** {@code expectRevision} 0 means "whatever the state is now". */
  public ApplyResult apply(StackDocument doc, long expectRevision) {
    return registry.writer().write(now -> decide(doc, expectRevision, now));
  }

  private ChangeWriter.Step<ApplyResult> decide(StackDocument doc, long expectRevision, Instant now) {
    StackPlan plan = planner.plan(doc);
    if (expectRevision > 0) {
      Optional<ApplyResult.Stale> changed = changedSince(doc, plan, expectRevision);
      if (changed.isPresent()) {
        return new ChangeWriter.Done<>(changed.get());
      }
    }
    if (plan.changesNothing()) {
      return new ChangeWriter.Done<>(new ApplyResult.Applied(plan, plan.revision()));
    }
    List<PlannedChange> changed = plan.changes().stream()
        .filter(c -> c.action() != PlannedChange.Action.UNCHANGED).toList();
    // Writes + one counter compare/put must fit one transaction of the store's size (etcd bounds
    // the compares and each branch by --max-txn-ops); an event per change when they fit too,
    // else one summary event on the Stack for the whole apply.
    int max = registry.writer().limits().maxTxnOps();
    int reserved = 2 + ChangeWriter.AUDIT_OPS; // the event counter's compare and put, the audit entry
    if (changed.size() + reserved > max) {
      return new ChangeWriter.Done<>(new ApplyResult.TooLarge(changed.size(), max - reserved));
    }
    boolean eventPerChange = 2 * changed.size() + 1 + ChangeWriter.AUDIT_OPS <= max;
    List<Txn.Compare> compares = new ArrayList<>();
    List<Txn.Op> ops = new ArrayList<>();
    List<EventDraft> events = new ArrayList<>();
    String message = "stack " + doc.name();
    for (PlannedChange c : changed) {
      String key = ResourceKeys.key(c.type(), c.namespace(), c.name());
      // Only written keys are compared: an object the plan leaves alone may change concurrently
      // without this apply overwriting it.
      compares.add(new Txn.Compare(key, c.seenRevision()));
      switch (c.action()) {
        case CREATE -> {
          ops.add(new Txn.Put(key, registry.bytes(registry.sealed(c.type(), registry.stamped(c.desired(), now, now)))));
          events.add(ResourceRegistry.draft(EventType.Created, c.type(), c.namespace(), c.name(), "Applied", message));
        }
        case UPDATE -> {
          ObjectNode next = c.desired().deepCopy();
          next.set("status", c.current().object().path("status").deepCopy());
          ops.add(new Txn.Put(key, registry.bytes(registry.sealed(c.type(),
              registry.stamped(next, ResourceRegistry.createdAt(c.current(), now), now)))));
          events.add(ResourceRegistry.draft(EventType.Updated, c.type(), c.namespace(), c.name(), "Applied", message));
        }
        case DELETE -> {
          ops.add(new Txn.Delete(key));
          events.add(ResourceRegistry.draft(EventType.Deleted, c.type(), c.namespace(), c.name(), "Pruned", message));
        }
        case UNCHANGED -> { }
      }
    }
    if (!eventPerChange) {
      events.clear();
      events.add(ResourceRegistry.draft(EventType.Updated, ResourceType.STACK,
          doc.namespace(), doc.name(), "Applied", message + ": " + summary(plan)));
    }
    return new ChangeWriter.Commit<>(compares, ops, events, revision -> new ApplyResult.Applied(plan, revision));
  }

  /**
   * An object of the stack changed by someone else after {@code expectRevision}, if any: deleted,
   * created, or with its spec or labels (what the plan compares) rewritten. Status writes by the
   * controllers (rollout records, conditions) bump an object's revision too, but they do not make
   * the plan the user approved any different, so they are not changes here.
   *
   * <p>Revisions on present objects cannot show a deletion: the key is gone, and the new plan
   * simply creates the object again (or, for one the stack would prune, no longer mentions it),
   * so an apply the user approved at N would silently undo someone's delete. Comparing the Stack
   * resource does not help either (deleting a service does not touch it). So the store's own
   * history is replayed: a watch from N + 1 to the plan's revision sees every write in between,
   * and a DELETE of a key the plan covers (declared or pruned), or of an object whose last value
   * carried this stack's label, makes the apply stale, as does a PUT to a covered key that creates
   * it or changes its spec or labels (compared with the value before, which both backends keep). History is exact and the same on both
   * backends; the events log is not (it is pruned by count, and a write straight to the store
   * records no event). When history at N is compacted the apply cannot tell, so it is refused
   * as stale too (at the compacted revision): the user plans again.
   *
   * <p>The replay ends when the plan's revision arrives. On an etcd shared with writers outside
   * this store's key root that revision may be theirs and never arrive: the apply then fails
   * after {@link #HISTORY_TIMEOUT} (503) rather than guess.
   */
  private Optional<ApplyResult.Stale> changedSince(StackDocument doc, StackPlan plan, long expectRevision) {
    long until = plan.revision();
    if (until <= expectRevision) {
      return Optional.empty();
    }
    Set<String> keys = new HashSet<>();
    for (PlannedChange c : plan.changes()) {
      keys.add(ResourceKeys.key(c.type(), c.namespace(), c.name()));
    }
    AtomicReference<ApplyResult.Stale> found = new AtomicReference<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    WatchListener listener = new WatchListener() {
      @Override
      public void onEvents(List<WatchEvent> events) {
        for (WatchEvent e : events) {
          if (e.revision() > until) {
            done.countDown();
            return;
          }
          if (found.get() == null) {
            Optional<ObjectNode> changed = e.type() == WatchEvent.Type.DELETE
                ? ownedObject(e, keys, doc) : changedByHand(e, keys);
            changed.ifPresent(o -> found.compareAndSet(null, new ApplyResult.Stale(
                o.path("kind").asText(), o.path("metadata").path("namespace").asText(null),
                o.path("metadata").path("name").asText(), e.revision(), expectRevision)));
          }
          if (e.revision() == until) {
            done.countDown();
          }
        }
      }

      @Override
      public void onCompacted(long compactRevision) {
        found.compareAndSet(null, new ApplyResult.Stale(ResourceType.STACK.kind(), doc.namespace(), doc.name(),
            compactRevision, expectRevision));
        done.countDown();
      }

      @Override
      public void onError(Throwable cause) {
        failed.set(cause);
        done.countDown();
      }
    };
    try (Watch watch = registry.store().watch("", expectRevision + 1, listener)) {
      if (!done.await(HISTORY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new StoreException("reading the store's history since revision " + expectRevision + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while reading the store's history");
    }
    if (failed.get() != null) {
      throw new StoreException("reading the store's history failed: " + failed.get().getMessage(), failed.get());
    }
    return Optional.ofNullable(found.get());
  }

  /**
   * The object written by {@code e} when the write changed what the plan compares (spec or labels)
   * of a key the plan covers, or created it; status writes by controllers are not changes.
   */
  private static Optional<ObjectNode> changedByHand(WatchEvent e, Set<String> keys) {
    if (!keys.contains(e.kv().key())) {
      return Optional.empty();
    }
    ObjectNode next = parse(e.kv().value());
    if (next == null) {
      return Optional.empty();
    }
    ObjectNode before = e.prev() == null ? null : parse(e.prev().value());
    return before == null || !StackPlanner.diff(before, next).isEmpty() ? Optional.of(next) : Optional.empty();
  }

  private static ObjectNode parse(byte[] value) {
    try {
      return LAST_STATE.readTree(value) instanceof ObjectNode o ? o : null;
    } catch (java.io.IOException ex) {
      return null;
    }
  }

  /** The deleted object's last state when it belonged to the stack: a key the plan covers, or its label. */
  private static Optional<ObjectNode> ownedObject(WatchEvent e, Set<String> keys, StackDocument doc) {
    if (e.prev() == null || !e.kv().key().startsWith(ResourceKeys.ROOT)) {
      return Optional.empty();
    }
    ObjectNode last;
    try {
      last = (ObjectNode) LAST_STATE.readTree(e.prev().value());
    } catch (java.io.IOException | ClassCastException ex) {
      return Optional.empty();
    }
    if (keys.contains(e.kv().key())) {
      return Optional.of(last);
    }
    String kind = last.path("kind").asText();
    JsonNode metadata = last.path("metadata");
    boolean labelled = doc.name().equals(metadata.path("labels").path(StackPlanner.STACK_LABEL).asText(null));
    boolean here = !metadata.has("namespace") || doc.namespace().equals(metadata.path("namespace").asText());
    // Controllers own instances and events even when they carry the label (they are never pruned).
    boolean stackObject = !kind.equals(ResourceType.INSTANCE.kind()) && !kind.equals(ResourceType.EVENT.kind());
    return labelled && here && stackObject ? Optional.of(last) : Optional.empty();
  }

  private static String summary(StackPlan plan) {
    return plan.count(PlannedChange.Action.CREATE) + " created, " + plan.count(PlannedChange.Action.UPDATE)
        + " updated, " + plan.count(PlannedChange.Action.DELETE) + " deleted";
  }
}
