package io.wharf.server.controller.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Condition;
import io.wharf.model.Instance;
import io.wharf.model.Service;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.workload.ServiceStatus;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.server.registry.WriteResult;
import io.wharf.store.Txn;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a service's status when what users read changed (counts, conditions), compared against
 * the service revision the pass read. A {@code Scheduled} condition turning to a new failure is
 * recorded as a {@code PlacementFailed} warning event. Thread safety: stateless.
 */
final class StatusWrites {
  private final ResourceRegistry registry;
  private final InstantSource clock;

  StatusWrites(ResourceRegistry registry, InstantSource clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Writes the status with fresh counts of {@code owned}; {@code scheduled} (null = keep) replaces
   * the Scheduled condition, {@code other} (null = none) the condition of its type. A stale service
   * revision throws, which retries the pass.
   */
  void write(Service service, List<Instance> owned, Condition scheduled, Condition other) {
    Instant now = clock.instant();
    ServiceStatus next = ServiceStatuses.next(service, owned, scheduled, now);
    if (other != null) {
      List<Condition> conditions = new ArrayList<>();
      next.conditions().stream().filter(c -> !c.type().equals(other.type())).forEach(conditions::add);
      conditions.add(other);
      next = new ServiceStatus(next.desired(), next.running(), next.ready(), next.observedRevision(), conditions)
          .withRolloutOf(next);
    }
    if (ServiceStatuses.sameCounts(service.status(), next)) {
      return;
    }
    next = new ServiceStatus(next.desired(), next.running(), next.ready(), service.metadata().revision(),
        next.conditions()).withRolloutOf(next);
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    List<EventDraft> events = new ArrayList<>();
    boolean newFailure = scheduled != null && !scheduled.status() && service.status().conditions().stream()
        .noneMatch(c -> c.type().equals(ServiceStatuses.SCHEDULED) && !c.status()
            && Objects.equals(c.message(), scheduled.message()));
    if (newFailure) {
      events.add(ResourceRegistry.draft(EventType.Warning, ResourceType.SERVICE, ns, name, "PlacementFailed",
          scheduled.message()));
    } else {
      events.add(ResourceRegistry.draft(EventType.Updated, ResourceType.SERVICE, ns, name, "StatusUpdated",
          "desired " + next.desired() + ", running " + next.running() + ", ready " + next.ready()));
    }
    String key = ResourceKeys.key(ResourceType.SERVICE, ns, name);
    ServiceStatus status = next;
    WriteResult result = registry.writer().write(at -> {
      Optional<StoredObject> current = registry.read(key, ResourceType.SERVICE);
      if (current.isEmpty() || current.get().revision() != service.metadata().revision()) {
        return new ChangeWriter.Done<>(new WriteResult.Conflict("Service", name, service.metadata().revision(),
            current.map(StoredObject::revision).orElse(0L)));
      }
      ObjectNode object = current.get().object().deepCopy();
      object.set("status", ResourceCodec.json().valueToTree(status));
      ObjectNode stored = registry.stamped(object, ResourceRegistry.createdAt(current.get(), at), at);
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, service.metadata().revision())),
          List.of(new Txn.Put(key, registry.bytes(stored))), events,
          revision -> new WriteResult.Written(registry.withRevision(ResourceType.SERVICE, key, stored, revision), false));
    });
    if (!(result instanceof WriteResult.Written)) {
      throw new IllegalStateException("service " + ServiceController.key(ns, name)
          + " changed while its status was written: " + result);
    }
  }
}
