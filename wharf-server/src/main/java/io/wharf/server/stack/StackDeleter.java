package io.wharf.server.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Resource;
import io.wharf.model.Service;
import io.wharf.model.stack.StackDocument;
import io.wharf.server.controller.dependency.DeletionOrder;
import io.wharf.server.controller.dependency.StartWaves;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.Txn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Deletes what a stack file declares, and the Stack itself, in ONE store transaction (compares on
 * every key it writes, an event per change). Services that take part in a {@code dependsOn} edge
 * between two stored services of the stack are not deleted here: they are labelled {@value DeletionOrder#LABEL}, and the service
 * controller stops them in reverse dependency order and then deletes them ({@link DeletionOrder}).
 * Everything else goes at once; objects already gone are reported, not an error. Applying the
 * stack again before they are gone removes the label, which cancels their stop. Thread safety:
 * safe for many threads (writes serialize in {@link ChangeWriter}).
 */
public final class StackDeleter {
  private final ResourceRegistry registry;

  public StackDeleter(ResourceRegistry registry) {
    this.registry = registry;
  }

  public DeleteResult delete(StackDocument doc) {
    return registry.writer().write(now -> decide(doc, now));
  }

  private ChangeWriter.Step<DeleteResult> decide(StackDocument doc, Instant now) {
    Set<String> ordered = ordered(doc, name -> registry.get(ResourceType.SERVICE, doc.namespace(), name).isPresent());
    List<Resource> all = new ArrayList<>(doc.resources());
    all.add(doc.stackResource());
    List<Txn.Compare> compares = new ArrayList<>();
    List<Txn.Op> ops = new ArrayList<>();
    List<EventDraft> events = new ArrayList<>();
    List<DeleteResult.Target> deleted = new ArrayList<>();
    List<DeleteResult.Target> stopping = new ArrayList<>();
    List<DeleteResult.Target> notFound = new ArrayList<>();
    String message = "stack " + doc.name() + " deleted";
    for (Resource r : all) {
      ResourceType type = ResourceType.byKind(r.kind().displayName()).orElseThrow();
      String ns = type.clusterScoped() ? null : r.metadata().namespace();
      String name = r.metadata().name();
      DeleteResult.Target target = new DeleteResult.Target(type.kind(), ns, name);
      String key = ResourceKeys.key(type, ns, name);
      Optional<StoredObject> current = registry.read(key, type);
      if (current.isEmpty()) {
        notFound.add(target);
        continue;
      }
      if (type == ResourceType.SERVICE && ordered.contains(name)) {
        stopping.add(target);
        if (current.get().label(DeletionOrder.LABEL) != null) {
          continue; // already stopping
        }
        ObjectNode next = current.get().object().deepCopy();
        next.withObjectProperty("metadata").withObjectProperty("labels").put(DeletionOrder.LABEL, "true");
        forgetEarlierStop(next);
        compares.add(new Txn.Compare(key, current.get().revision()));
        ops.add(new Txn.Put(key, registry.bytes(registry.stamped(next,
            ResourceRegistry.createdAt(current.get(), now), now))));
        events.add(ResourceRegistry.draft(EventType.Updated, type, ns, name, "Deleting",
            message + ": stops after its dependents"));
        continue;
      }
      deleted.add(target);
      compares.add(new Txn.Compare(key, current.get().revision()));
      ops.add(new Txn.Delete(key));
      events.add(ResourceRegistry.draft(EventType.Deleted, type, ns, name, "Deleted", message));
    }
    List<List<String>> waves = StartWaves.reversed(StackPlanner.startWaves(doc));
    if (ops.isEmpty()) {
      return new ChangeWriter.Done<>(new DeleteResult.Deleted(doc.name(), doc.namespace(), 0, deleted, stopping,
          notFound, waves));
    }
    int max = registry.writer().limits().maxTxnOps();
    int reserved = 2 + ChangeWriter.AUDIT_OPS; // the event counter's compare and put, the audit entry
    if (ops.size() + reserved > max) {
      return new ChangeWriter.Done<>(new DeleteResult.TooLarge(ops.size(), max - reserved));
    }
    if (2 * ops.size() + 1 + ChangeWriter.AUDIT_OPS > max) {
      events.clear();
      events.add(ResourceRegistry.draft(EventType.Deleted, ResourceType.STACK, doc.namespace(), doc.name(), "Deleted",
          message));
    }
    return new ChangeWriter.Commit<>(compares, ops, events, revision -> new DeleteResult.Deleted(doc.name(),
        doc.namespace(), revision, deleted, stopping, notFound, waves));
  }

  /** A stop cancelled by an apply left its condition behind; this stop starts afresh. */
  private static void forgetEarlierStop(ObjectNode service) {
    if (service.path("status").path("conditions") instanceof com.fasterxml.jackson.databind.node.ArrayNode conditions) {
      for (int i = conditions.size() - 1; i >= 0; i--) {
        if (DeletionOrder.STOPPING.equals(conditions.get(i).path("type").asText())) {
          conditions.remove(i);
        }
      }
    }
  }

  /**
   * Names of the stack's stored services that depend on, or are depended on by, another of its
   * stored services (an edge to a service already gone orders nothing).
   */
  static Set<String> ordered(StackDocument doc, Predicate<String> stored) {
    Set<String> services = new HashSet<>();
    doc.resources().stream().filter(r -> r instanceof Service).map(r -> r.metadata().name()).filter(stored)
        .forEach(services::add);
    Set<String> out = new HashSet<>();
    for (Resource r : doc.resources()) {
      if (r instanceof Service s && services.contains(s.metadata().name())) {
        s.spec().dependsOn().stream().filter(d -> services.contains(d.name())).forEach(d -> {
          out.add(d.name());
          out.add(s.metadata().name());
        });
      }
    }
    return out;
  }
}
