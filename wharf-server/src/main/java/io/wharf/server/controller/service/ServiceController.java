package io.wharf.server.controller.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Condition;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.Node;
import io.wharf.model.ResourceRef;
import io.wharf.model.Service;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.workload.ServiceStatus;
import io.wharf.scheduler.Plan;
import io.wharf.scheduler.Scheduler;
import io.wharf.server.controller.ClusterCache;
import io.wharf.server.controller.Reconciler;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.nodes.InstanceStatusReports;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reconciles one Service (key {@code namespace/name}) per pass, doing one kind of step and then
 * looking again, level-triggered:
 * <ol>
 *   <li>service gone: delete its instances;</li>
 *   <li>instances on a down (or unknown) node that are not terminal: mark them lost (failed,
 *       reason {@value #NODE_DOWN}); lost ones whose node is ready again: back to pending, so the
 *       agent runs (adopts) them;</li>
 *   <li>too many: delete the newest; too few: place new ones with the scheduler (a failed
 *       placement records a {@code PlacementFailed} warning once per distinct reason, sets the
 *       {@code Scheduled} condition false and looks again later — node changes queue it sooner);</li>
 *   <li>an instance whose tasks differ from the service's: delete one (the next pass creates its
 *       replacement), one at a time;</li>
 *   <li>status counts, written only when they change.</li>
 * </ol>
 * After each write it waits for the cache to see it, so the next pass never acts on a view
 * older than its own writes. Thread safety: no per-key state; the work queue runs one pass per key at
 * a time; placements are serialized across keys by one lock.
 */
public final class ServiceController implements Reconciler {
  public static final String NODE_DOWN = "node down";
  static final Duration PLACEMENT_RETRY = Duration.ofSeconds(30);
  private static final Duration CACHE_WAIT = Duration.ofSeconds(10);
  private static final Reconciler.Result AGAIN = new Reconciler.RequeueAfter(Duration.ZERO);

  private final ClusterCache cache;
  private final ResourceRegistry registry;
  private final InstanceStatusReports reports;
  private final Scheduler scheduler;
  private final InstantSource clock;
  private final PlacementInputs.PortRange ports = PlacementInputs.PortRange.DEFAULT;
  /**
   * Placements of all services are serialized (held until the cache shows them), so two workers
   * never hand out the same node capacity or dynamic port from two stale snapshots.
   */
  private final ReentrantLock placing = new ReentrantLock();

  public ServiceController(ClusterCache cache, ResourceRegistry registry, InstanceStatusReports reports,
      Scheduler scheduler, InstantSource clock) {
    this.cache = cache;
    this.registry = registry;
    this.reports = reports;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** The queue key of a service. */
  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The key of the service that owns {@code instance}, if a service does. */
  public static Optional<String> ownerKey(Instance instance) {
    ResourceRef owner = instance.spec().owner();
    return owner.kind() == Kind.SERVICE ? Optional.of(key(owner.namespace(), owner.name())) : Optional.empty();
  }

  @Override
  public Result reconcile(String key) throws InterruptedException {
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    List<Instance> owned = cache.instances().stream().filter(i -> PlacementInputs.ownedBy(i, ns, name)).toList();
    Optional<Service> found = cache.service(ns, name);
    if (found.isEmpty()) {
      for (Instance i : owned) {
        registry.delete(ResourceType.INSTANCE, ns, i.metadata().name(), 0);
      }
      return caughtUp(DONE);
    }
    Service service = found.get();
    if (markLostOrRecovered(owned)) {
      return caughtUp(AGAIN);
    }
    int want = service.spec().replicas();
    if (owned.size() > want) {
      List<Instance> newestFirst = new ArrayList<>(owned);
      newestFirst.sort(Comparator.comparing((Instance i) -> i.metadata().createdAt(),
          Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(i -> i.metadata().name()).reversed());
      for (Instance i : newestFirst.subList(0, owned.size() - want)) {
        registry.delete(ResourceType.INSTANCE, ns, i.metadata().name(), i.metadata().revision());
      }
      return caughtUp(AGAIN);
    }
    if (owned.size() < want) {
      Optional<Plan.NoPlacement> failed;
      placing.lock();
      try {
        failed = place(service, want - owned.size());
        cache.awaitCurrent(CACHE_WAIT);
      } finally {
        placing.unlock();
      }
      if (failed.isPresent()) {
        writeStatus(service, owned, new Condition(ServiceStatuses.SCHEDULED, false, "PlacementFailed",
            failed.get().summary(), null));
        return caughtUp(new RequeueAfter(PLACEMENT_RETRY));
      }
      return caughtUp(AGAIN);
    }
    Optional<Instance> outdated = owned.stream().filter(i -> !i.spec().tasks().equals(service.spec().tasks()))
        .findFirst();
    if (outdated.isPresent()) {
      registry.delete(ResourceType.INSTANCE, ns, outdated.get().metadata().name(), outdated.get().metadata().revision());
      return caughtUp(AGAIN);
    }
    writeStatus(service, owned, new Condition(ServiceStatuses.SCHEDULED, true, "Placed",
        want + " of " + want + " instances placed", null));
    return caughtUp(DONE);
  }

  private Result caughtUp(Result result) throws InterruptedException {
    cache.awaitCurrent(CACHE_WAIT);
    return result;
  }

  /** Marks instances of down nodes lost and re-runs lost ones whose node is back; true if it wrote. */
  private boolean markLostOrRecovered(List<Instance> owned) {
    List<InstanceStatusReports.Item> items = new ArrayList<>();
    for (Instance i : owned) {
      Optional<Node> node = cache.node(i.spec().node());
      boolean down = node.isEmpty() || node.get().status().state() == NodeState.DOWN;
      InstanceStatus s = i.status();
      if (down && !s.state().terminal()) {
        items.add(item(i, new InstanceStatus(InstanceState.FAILED, s.health(), s.restarts(), null, NODE_DOWN,
            s.address(), s.startedAt(), clock.instant())));
      } else if (!down && node.get().status().state() == NodeState.READY && s.state() == InstanceState.FAILED
          && NODE_DOWN.equals(s.exitReason())) {
        items.add(item(i, InstanceStatus.EMPTY));
      }
    }
    for (int from = 0; from < items.size(); from += InstanceStatusReports.MAX_ITEMS) {
      reports.report(items.subList(from, Math.min(items.size(), from + InstanceStatusReports.MAX_ITEMS)));
    }
    return !items.isEmpty();
  }

  private static InstanceStatusReports.Item item(Instance i, InstanceStatus status) {
    return new InstanceStatusReports.Item(i.metadata().namespace(), i.metadata().name(),
        ResourceCodec.json().valueToTree(status));
  }

  /** Places {@code count} new instances; the scheduler's refusal if one could not be placed. */
  private Optional<Plan.NoPlacement> place(Service service, int count) {
    List<Node> nodes = cache.nodes();
    List<Instance> instances = new ArrayList<>(cache.instances());
    var demand = PlacementInputs.demand(service);
    for (int n = 0; n < count; n++) {
      Plan plan = scheduler.schedule(demand, PlacementInputs.snapshot(nodes, instances));
      if (plan instanceof Plan.NoPlacement no) {
        return Optional.of(no);
      }
      String node = ((Plan.Placement) plan).node();
      Optional<Map<String, Integer>> assigned = PlacementInputs.assignPorts(service.spec().tasks(), node, instances,
          ports);
      if (assigned.isEmpty()) {
        return Optional.of(new Plan.NoPlacement(List.of(new io.wharf.scheduler.Veto(node,
            "no free port left in " + ports.first() + "-" + ports.last()))));
      }
      instances.add(create(service, node, assigned.get()));
    }
    return Optional.empty();
  }

  private Instance create(Service service, String node, Map<String, Integer> assignedPorts) {
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    Map<String, String> labels = new HashMap<>();
    labels.put("wharf.io/service", name);
    String stack = service.metadata().labels().get("wharf.io/stack");
    if (stack != null) {
      labels.put("wharf.io/stack", stack);
    }
    InstanceSpec spec = new InstanceSpec(new ResourceRef(Kind.SERVICE, ns, name), service.metadata().revision(), node,
        service.spec().tasks(), assignedPorts, service.spec().restart());
    for (int attempt = 0; ; attempt++) {
      Instance instance = new Instance(new Metadata(instanceName(name), ns, labels, 0, null, null), spec);
      WriteResult result = registry.create(ResourceType.INSTANCE, ResourceCodec.toTree(instance));
      if (result instanceof WriteResult.Written) {
        return instance;
      }
      if (attempt >= 8) {
        throw new IllegalStateException("could not find a free instance name for " + key(ns, name) + ": " + result);
      }
    }
  }

  static String instanceName(String service) {
    String base = service.length() > 57 ? service.substring(0, 57) : service;
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(base).append('-');
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /**
   * Writes the status when its counts or conditions changed, with a {@code PlacementFailed}
   * warning event when the Scheduled condition turns to a new failure. A stale service revision
   * throws, which retries the pass.
   */
  private void writeStatus(Service service, List<Instance> owned, Condition scheduled) {
    Instant now = clock.instant();
    ServiceStatus next = ServiceStatuses.next(service, owned, scheduled, now);
    if (ServiceStatuses.sameCounts(service.status(), next)) {
      return;
    }
    next = new ServiceStatus(next.desired(), next.running(), next.ready(), service.metadata().revision(),
        next.conditions());
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    List<EventDraft> events = new ArrayList<>();
    boolean newFailure = !scheduled.status() && service.status().conditions().stream()
        .noneMatch(c -> c.type().equals(ServiceStatuses.SCHEDULED) && !c.status()
            && java.util.Objects.equals(c.message(), scheduled.message()));
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
      throw new IllegalStateException("service " + key(ns, name) + " changed while its status was written: " + result);
    }
  }
}
