package io.wharf.server.controller.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Condition;
import io.wharf.model.Instance;
import io.wharf.model.Service;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.quantity.Durations;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.JobPhase;
import io.wharf.model.workload.ServiceStatus;
import io.wharf.server.controller.ClusterCache;
import io.wharf.server.controller.Reconciler;
import io.wharf.server.controller.dependency.DeletionOrder;
import io.wharf.server.controller.dependency.DependencyGate;
import io.wharf.server.controller.dependency.DependencyState;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.server.registry.WriteResult;
import io.wharf.store.Txn;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The service controller's dependency steps, kept apart from its placement passes: the start gate
 * ({@link DependencyGate}: no instance is placed while a dependency is unmet; condition
 * {@value #DEPENDENCIES} says what it waits for, and a {@code DependencyTimeout} warning is
 * recorded when the wait passes the dependency's timeout) and the ordered stop of a service a stack
 * deletion marked ({@link DeletionOrder}). Services are read from the cache; jobs (not cached) from
 * the registry, so a service waiting on a job looks again every {@link #POLL}. Thread safety:
 * stateless; the work queue runs one pass per service at a time.
 */
final class DependencySteps {
  static final String DEPENDENCIES = "DependenciesMet";
  static final String WAITING = "WaitingForDependency";
  static final String TIMEOUT = "DependencyTimeout";
  /** How often a waiting service looks again without being queued by a change. */
  static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration CACHE_WAIT = Duration.ofSeconds(10);
  private static final Reconciler.Result AGAIN = new Reconciler.RequeueAfter(Duration.ZERO);

  private final ClusterCache cache;
  private final ResourceRegistry registry;
  private final InstanceWrites writes;
  private final InstantSource clock;

  DependencySteps(ClusterCache cache, ResourceRegistry registry, InstanceWrites writes, InstantSource clock) {
    this.cache = cache;
    this.registry = registry;
    this.writes = writes;
    this.clock = clock;
  }

  /**
   * Empty when the service may place instances now; otherwise what the pass returns (it waits,
   * with its condition written).
   */
  Optional<Reconciler.Result> gate(Service service) throws InterruptedException {
    if (service.spec().dependsOn().isEmpty()) {
      return Optional.empty();
    }
    String ns = service.metadata().namespace();
    Instant now = clock.instant();
    Condition previous = condition(service, DEPENDENCIES);
    Instant since = previous != null && !previous.status() ? previous.since() : null;
    DependencyGate.Verdict verdict = DependencyGate.check(service.spec().dependsOn(), name -> state(ns, name), since,
        now);
    Instant waitingSince = since == null ? now : since;
    return switch (verdict) {
      case DependencyGate.Open o -> {
        if (previous == null || previous.status()) {
          yield Optional.empty();
        }
        write(service, new Condition(DEPENDENCIES, true, "Met", "every dependency is met", now), null);
        yield Optional.of(AGAIN);
      }
      case DependencyGate.Waiting w -> {
        write(service, new Condition(DEPENDENCIES, false, WAITING, w.reason(), waitingSince), null);
        yield Optional.of(new Reconciler.RequeueAfter(w.left().compareTo(POLL) < 0 ? w.left() : POLL));
      }
      case DependencyGate.TimedOut t -> {
        String message = "dependency \"" + t.dependency().name() + "\" not "
            + t.dependency().condition().wire() + " within " + Durations.format(t.dependency().timeout()) + "; instances are not started (" + t.reason() + ")";
        boolean first = previous == null || !TIMEOUT.equals(previous.reason());
        write(service, new Condition(DEPENDENCIES, false, TIMEOUT, message, waitingSince), first
            ? ResourceRegistry.draft(EventType.Warning, ResourceType.SERVICE, ns, service.metadata().name(), TIMEOUT,
                message)
            : null);
        // Level-triggered: should the dependency come up later, the service starts then.
        yield Optional.of(new Reconciler.RequeueAfter(POLL.multipliedBy(5)));
      }
    };
  }

  /** One step of stopping a service that a stack deletion marked ({@link DeletionOrder}). */
  Reconciler.Result deleting(Service service, List<Instance> owned) throws InterruptedException {
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    List<String> dependents = new ArrayList<>();
    for (Service s : cache.services()) {
      if (s.metadata().namespace().equals(ns) && DeletionOrder.marked(s.metadata().labels())
          && s.spec().dependsOn().stream().anyMatch(d -> d.name().equals(name))) {
        dependents.add(s.metadata().name());
      }
    }
    Condition stopping = condition(service, DeletionOrder.STOPPING);
    Instant since = stopping != null && stopping.status() ? stopping.since() : null;
    Duration grace = service.spec().tasks().stream().map(TaskSpec::stopGracePeriod).max(Duration::compareTo)
        .orElse(Duration.ZERO);
    Instant now = clock.instant();
    return switch (DeletionOrder.next(dependents, !owned.isEmpty(), since, grace, now)) {
      case DeletionOrder.WaitForDependents w -> {
        write(service, new Condition(DeletionOrder.STOPPING, false, "WaitingForDependents",
            "stops after its dependents have stopped: " + String.join(", ", w.dependents()), now), null);
        yield new Reconciler.RequeueAfter(POLL); // a dependent's deletion queues it sooner
      }
      case DeletionOrder.MarkStopping m -> {
        write(service, new Condition(DeletionOrder.STOPPING, true, "Stopping", "its instances are stopping", now), null);
        yield AGAIN;
      }
      case DeletionOrder.StopInstances s -> {
        InstanceWrites.Outcome outcome = writes.commit(service, java.util.Map.of(), List.of(),
            owned.stream().map(i -> new InstanceWrites.Removal(i, "stack deleted")).toList());
        cache.awaitRevision(outcome.revision(), CACHE_WAIT);
        yield AGAIN;
      }
      case DeletionOrder.AwaitStopped a -> new Reconciler.RequeueAfter(a.left());
      case DeletionOrder.Remove r -> {
        registry.delete(ResourceType.SERVICE, ns, name, service.metadata().revision());
        yield Reconciler.DONE; // the deletion queues the key again
      }
    };
  }

  /** A dependency's state: a service from the cache, else a job from the registry, else missing. */
  private DependencyState state(String ns, String name) {
    Optional<Service> service = cache.service(ns, name);
    if (service.isPresent()) {
      List<Instance> instances = cache.instancesOf(ns, name).stream().filter(i -> !InstanceGroups.isLost(i)).toList();
      int desired = service.get().spec().placement().global()
          ? (int) Math.max(1, instances.stream().map(i -> i.spec().node()).distinct().count())
          : service.get().spec().replicas();
      int running = (int) instances.stream().filter(i -> i.status().state() == InstanceState.RUNNING).count();
      int ready = (int) instances.stream().filter(ServiceStatuses::ready).count();
      return new DependencyState.ServiceState(desired, running, ready);
    }
    Optional<StoredObject> job = registry.get(ResourceType.JOB, ns, name);
    if (job.isPresent()) {
      String phase = job.get().object().path("status").path("phase").asText("pending");
      JobPhase p;
      try {
        p = JobPhase.valueOf(phase.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        p = JobPhase.PENDING;
      }
      return new DependencyState.JobState(p);
    }
    return DependencyState.MISSING;
  }

  private static Condition condition(Service service, String type) {
    return service.status().conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }

  /**
   * Replaces the condition of {@code c}'s type (unless one with the same status, reason and message
   * already holds: its {@code since} stays) with the counts left
   * as they are, compared against the revision the pass read, and waits for the cache to show it.
   */
  private void write(Service service, Condition c, EventDraft event) throws InterruptedException {
    Condition previous = condition(service, c.type());
    if (previous != null && previous.status() == c.status() && Objects.equals(previous.reason(), c.reason())
        && Objects.equals(previous.message(), c.message())) {
      return;
    }
    List<Condition> conditions = new ArrayList<>();
    service.status().conditions().stream().filter(x -> !x.type().equals(c.type())).forEach(conditions::add);
    conditions.add(c);
    ServiceStatus old = service.status();
    ServiceStatus next = new ServiceStatus(old.desired(), old.running(), old.ready(), old.observedRevision(), conditions)
        .withRolloutOf(old);
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    String key = ResourceKeys.key(ResourceType.SERVICE, ns, name);
    List<EventDraft> events = List.of(event != null ? event
        : ResourceRegistry.draft(EventType.Updated, ResourceType.SERVICE, ns, name, c.reason(), c.message()));
    WriteResult result = registry.writer().write(at -> {
      Optional<StoredObject> current = registry.read(key, ResourceType.SERVICE);
      if (current.isEmpty() || current.get().revision() != service.metadata().revision()) {
        return new ChangeWriter.Done<>(new WriteResult.Conflict("Service", name, service.metadata().revision(),
            current.map(StoredObject::revision).orElse(0L)));
      }
      ObjectNode object = current.get().object().deepCopy();
      object.set("status", ResourceCodec.json().valueToTree(next));
      ObjectNode stored = registry.stamped(object, ResourceRegistry.createdAt(current.get(), at), at);
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, service.metadata().revision())),
          List.of(new Txn.Put(key, registry.bytes(stored))), events,
          revision -> new WriteResult.Written(registry.withRevision(ResourceType.SERVICE, key, stored, revision), false));
    });
    if (result instanceof WriteResult.Written w) {
      cache.awaitRevision(w.object().revision(), CACHE_WAIT);
    } else {
      throw new IllegalStateException("service " + ns + "/" + name + " changed while its status was written: " + result);
    }
  }
}
