package io.wharf.server.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.stack.StackDocument;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.store.Txn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
      for (PlannedChange c : plan.changes()) {
        if (c.seenRevision() > expectRevision) {
          return new ChangeWriter.Done<>(new ApplyResult.Stale(c.type().kind(), c.namespace(), c.name(),
              c.seenRevision(), expectRevision));
        }
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
    if (changed.size() + 2 > max) {
      return new ChangeWriter.Done<>(new ApplyResult.TooLarge(changed.size(), max - 2));
    }
    boolean eventPerChange = 2 * changed.size() + 1 <= max;
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
          ops.add(new Txn.Put(key, registry.bytes(registry.stamped(c.desired(), now, now))));
          events.add(ResourceRegistry.draft(EventType.Created, c.type(), c.namespace(), c.name(), "Applied", message));
        }
        case UPDATE -> {
          ObjectNode next = c.desired().deepCopy();
          next.set("status", c.current().object().path("status").deepCopy());
          ops.add(new Txn.Put(key, registry.bytes(
              registry.stamped(next, ResourceRegistry.createdAt(c.current(), now), now))));
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
      events.add(ResourceRegistry.draft(EventType.Updated, io.wharf.server.registry.ResourceType.STACK,
          doc.namespace(), doc.name(), "Applied", message + ": " + summary(plan)));
    }
    return new ChangeWriter.Commit<>(compares, ops, events, revision -> new ApplyResult.Applied(plan, revision));
  }

  private static String summary(StackPlan plan) {
    return plan.count(PlannedChange.Action.CREATE) + " created, " + plan.count(PlannedChange.Action.UPDATE)
        + " updated, " + plan.count(PlannedChange.Action.DELETE) + " deleted";
  }
}
