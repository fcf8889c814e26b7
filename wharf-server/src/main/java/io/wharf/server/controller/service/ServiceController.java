package io.wharf.server.controller.service;

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
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.scheduler.BatchPlan;
import io.wharf.scheduler.ClusterSnapshot;
import io.wharf.scheduler.Demand;
import io.wharf.scheduler.GlobalPlan;
import io.wharf.scheduler.Scheduler;
import io.wharf.server.controller.ClusterCache;
import io.wharf.server.controller.Reconciler;
import io.wharf.server.controller.rollout.Rollouts;
import io.wharf.server.controller.dependency.DeletionOrder;
import io.wharf.server.nodes.InstanceStatusReports;
import io.wharf.server.registry.ResourceRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one Service (key {@code namespace/name}), level-triggered: each pass looks at the
 * cache, does the first kind of step that applies, writes it, waits for the cache to show the
 * write and looks again:
 * <ol>
 *   <li>service gone: delete its instances;</li>
 *   <li>instances on a down (or unknown) node that are not terminal: mark them lost (failed,
 *       reason {@value #NODE_DOWN}); lost ones whose node is ready again before they were
 *       replaced: back to pending, so the agent runs (adopts) them;</li>
 *   <li>migrations: an old instance whose replacement ({@link InstanceGroups#REPLACES}) is
 *       ready is deleted;</li>
 *   <li>rollout (replicated services, {@link Rollouts}): while instances of an older template
 *       remain, the rollout decides which stop and how many new ones start, and the count step
 *       waits; it also records the rollout's progress, pause, success, failure and rollback;</li>
 *   <li>count: too many are deleted (instances of drained nodes first, then the newest); too few
 *       are placed ALL AT ONCE (the scheduler's batch placement) and written in as few transactions as the
 *       store allows ({@link InstanceWrites}), each re-checked against the revisions the decision
 *       read; lost instances are deleted in the same transactions as their replacements. A global
 *       service wants one instance on every eligible node;</li>
 *   <li>drain: instances on drained nodes get replacements elsewhere, at most
 *       {@code update.parallelism} migrations in flight; the old ones stop once their
 *       replacements are ready (step 3);</li>
 *   <li>rebalance (requested through the API, or {@code placement.rebalance}): moves instances
 *       where they even out the spread (over {@code placement.spreadOver} values, then nodes),
 *       each target checked by the scheduler, with the same parallelism ({@link Rebalancing});</li>
 *   <li>an instance of a global service whose tasks differ from the service's: delete one, one at a time;</li>
 *   <li>status counts and conditions, written only when they change.</li>
 * </ol>
 * A placement that falls short records why ({@code Scheduled} condition false, a
 * {@code PlacementFailed} warning once per distinct reason) and looks again later — node changes
 * queue it sooner. Thread safety: no per-key state; the work queue runs one pass per key at a
 * time; placements of all services are serialized by one lock, and each placement's snapshot
 * adds the instances committed by earlier placements that the cache does not show yet, so two
 * workers never hand out the same capacity or dynamic port.
 */
public final class ServiceController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(ServiceController.class);
  public static final String NODE_DOWN = "node down";
  static final Duration PLACEMENT_RETRY = Duration.ofSeconds(30);
  /** How often a pass with migrations in flight looks again (instance changes queue it sooner). */
  static final Duration MIGRATION_CHECK = Duration.ofSeconds(2);
  private static final Duration CACHE_WAIT = Duration.ofSeconds(10);
  private static final Reconciler.Result AGAIN = new Reconciler.RequeueAfter(Duration.ZERO);

  private final ClusterCache cache;
  private final InstanceStatusReports reports;
  private final Scheduler scheduler;
  private final InstanceWrites writes;
  private final StatusWrites statuses;
  private final Rollouts rollouts;
  private final InstantSource clock;
  /** Shared with the other placing controllers: the lock, node usage and unseen placements. */
  private final Placements placements;
  private final ReentrantLock placing;
  private final DependencySteps dependencies;

  /** Construct before the cache starts: it follows the cache's changes from its first list on. */
  public ServiceController(ClusterCache cache, ResourceRegistry registry, InstanceStatusReports reports,
      Scheduler scheduler, InstantSource clock) {
    this(cache, registry, reports, scheduler, clock, new Placements(cache));
  }

  /** As above, placing under {@code placements} shared with other controllers. */
  public ServiceController(ClusterCache cache, ResourceRegistry registry, InstanceStatusReports reports,
      Scheduler scheduler, InstantSource clock, Placements placements) {
    this.placements = placements;
    this.placing = placements.lock();
    this.cache = cache;
    this.reports = reports;
    this.scheduler = scheduler;
    this.writes = new InstanceWrites(registry, clock);
    this.statuses = new StatusWrites(registry, clock);
    this.rollouts = new Rollouts(registry, clock);
    this.clock = clock;
    this.dependencies = new DependencySteps(cache, registry, writes, clock);
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
    List<Instance> owned = cache.instancesOf(ns, name);
    Optional<Service> found = cache.service(ns, name);
    if (found.isEmpty()) {
      rollouts.forget(key);
      if (owned.isEmpty()) {
        return DONE;
      }
      List<InstanceWrites.Removal> all = owned.stream()
          .map(i -> new InstanceWrites.Removal(i, "service deleted")).toList();
      return wrote(writes.commit(ns, name, 0, Map.of(), List.of(), all));
    }
    Service service = found.get();
    if (DeletionOrder.marked(service.metadata().labels())) {
      return caughtUp(dependencies.deleting(service, owned)); // a stack deletion stops it after its dependents
    }
    Function<String, Optional<Node>> nodes = nodeLookup();
    if (markLostOrRecovered(owned, nodes)) {
      return caughtUp(AGAIN);
    }
    boolean global = service.spec().placement().global();
    InstanceGroups groups = InstanceGroups.of(owned, nodes, n -> leavingNode(n, global));

    List<Instance> replaced = groups.replacedAndReady();
    if (!replaced.isEmpty()) {
      return wrote(writes.commit(service, Map.of(), List.of(),
          replaced.stream().map(i -> new InstanceWrites.Removal(i, "replaced by "
              + groups.replacementOf().get(i.metadata().name()).metadata().name())).toList()));
    }

    Rollouts.Step rolloutStep = global ? new Rollouts.Idle(null) : rollouts.step(service, groups.live(),
        ServiceStatuses::ready);
    Optional<Result> rolling = rollout(service, groups, rolloutStep);
    if (rolling.isPresent()) {
      return rolling.get();
    }

    Count count = global ? globalCount(service, groups) : replicaCount(service, groups);
    switch (count) {
      case Count.Remove r -> {
        return wrote(writes.commit(service, Map.of(), List.of(), r.removals()));
      }
      case Count.Place p -> {
        Optional<Result> held = dependencies.gate(service); // no new instances while a dependency is unmet
        if (held.isPresent()) {
          return caughtUp(held.get());
        }
        return placeAndWrite(service, groups, p, List.of());
      }
      case Count.Enough e -> { }
    }

    if (!global && !groups.leaving().isEmpty()) {
      int budget = service.spec().update().parallelism() - groups.inFlight();
      if (budget <= 0) {
        return statusThen(service, groups, null, new RequeueAfter(MIGRATION_CHECK));
      }
      List<Instance> moves = groups.leaving().subList(0, Math.min(budget, groups.leaving().size()));
      return placeAndWrite(service, groups, new Count.Place(moves.size(), List.of()), moves);
    }
    if (groups.inFlight() > 0) {
      return statusThen(service, groups, null, new RequeueAfter(MIGRATION_CHECK));
    }

    if (!global) {
      Optional<Result> rebalanced = rebalance(service, groups);
      if (rebalanced.isPresent()) {
        return rebalanced.get();
      }
    }

    // Replicated services replace outdated instances through their rollout (see rollout()).
    Optional<Instance> outdated = !global ? Optional.empty() : groups.live().stream()
        .filter(i -> !i.spec().tasks().equals(service.spec().tasks())).findFirst();
    if (outdated.isPresent()) {
      return wrote(writes.commit(service, Map.of(), List.of(),
          List.of(new InstanceWrites.Removal(outdated.get(), "tasks changed"))));
    }
    int want = global ? groups.effective() : service.spec().replicas();
    return statusThen(service, groups, new Condition(ServiceStatuses.SCHEDULED, true, "Placed",
        want + " of " + want + " instances placed", null),
        rolloutStep instanceof Rollouts.Idle(Duration again) && again != null ? new RequeueAfter(again) : DONE);
  }

  /**
   * The rollout step ({@link Rollouts}): while old instances remain, the rollout decides what
   * stops and starts and the count step waits; empty when the pass goes on as usual.
   */
  private Optional<Result> rollout(Service service, InstanceGroups groups, Rollouts.Step step)
      throws InterruptedException {
    switch (step) {
      case Rollouts.Idle idle -> {
        return Optional.empty();
      }
      case Rollouts.Wrote w -> {
        return Optional.of(caughtUp(AGAIN));
      }
      case Rollouts.Hold h -> {
        return Optional.of(statusThen(service, groups, null,
            h.recheck() == null ? DONE : new RequeueAfter(h.recheck())));
      }
      case Rollouts.Act a when !a.stop().isEmpty() -> {
        return Optional.of(wrote(writes.commit(service, Map.of(), List.of(), a.stop().stream()
            .map(i -> new InstanceWrites.Removal(i, "rolled out: replaced by template " + Rollouts.hash(service)))
            .toList())));
      }
      case Rollouts.Act a -> {
        return Optional.of(placeAndWrite(service, groups, new Count.Place(a.start(), List.of()), List.of()));
      }
    }
  }

  /** How many instances a service lacks or has too many of. */
  sealed interface Count {
    record Enough() implements Count {}

    /** {@code n} more; with {@code onlyOn} (a global service), one on each of those nodes. */
    record Place(int n, List<String> onlyOn) implements Count {}

    record Remove(List<InstanceWrites.Removal> removals) implements Count {}
  }

  private Count replicaCount(Service service, InstanceGroups groups) {
    int want = service.spec().replicas();
    int have = groups.effective();
    if (have > want) {
      List<Instance> victims = groups.scaleInVictims(have - want);
      List<InstanceWrites.Removal> removals = new ArrayList<>();
      victims.forEach(v -> removals.add(new InstanceWrites.Removal(v, "scaled in")));
      groups.lost().forEach(l -> removals.add(new InstanceWrites.Removal(l, InstanceGroups.removalReason(l))));
      // Only halves of migrations are left to remove: let them finish first (then scale in).
      return removals.isEmpty() ? new Count.Enough() : new Count.Remove(removals);
    }
    if (have < want) {
      return new Count.Place(want - have, List.of());
    }
    if (!groups.lost().isEmpty()) {
      return new Count.Remove(groups.lost().stream()
          .map(l -> new InstanceWrites.Removal(l, InstanceGroups.removalReason(l))).toList());
    }
    return new Count.Enough();
  }

  /**
   * A global service: one instance per eligible node. Instances on nodes that are no longer
   * eligible (drained, ineligible, gone, or failing the service's placement rules) and duplicates
   * are removed; eligible nodes without one get one.
   */
  private Count globalCount(Service service, InstanceGroups groups) {
    GlobalPlan plan;
    placing.lock();
    try {
      plan = scheduler.global(demand(service, groups), snapshotWithUnseen());
    } finally {
      placing.unlock();
    }
    Set<String> eligible = new HashSet<>(plan.eligible());
    List<InstanceWrites.Removal> removals = new ArrayList<>();
    Set<String> covered = new HashSet<>();
    for (Instance i : groups.live()) {
      String node = i.spec().node();
      if (!eligible.contains(node)) {
        removals.add(new InstanceWrites.Removal(i, "node " + node + " is not eligible"));
      } else if (!covered.add(node)) {
        removals.add(new InstanceWrites.Removal(i, "one instance per node"));
      }
    }
    groups.lost().forEach(l -> removals.add(new InstanceWrites.Removal(l, InstanceGroups.removalReason(l))));
    if (!removals.isEmpty()) {
      return new Count.Remove(removals);
    }
    List<String> missing = plan.eligible().stream().filter(n -> !covered.contains(n)).sorted().toList();
    return missing.isEmpty() ? new Count.Enough() : new Count.Place(missing.size(), missing);
  }

  /** The service's demand, with conflicts of every service and where its named volumes are. */
  private Demand demand(Service service, InstanceGroups groups) {
    return PlacementInputs.demand(service, PlacementInputs.declaredConflicts(cache.services()),
        VolumeHomes.of(service, groups.live()));
  }

  /**
   * A node whose instances of a replicated service move away: drained. (A global service's
   * instance of a drained node is simply removed, see {@link #globalCount}.)
   */
  static boolean leavingNode(Node node, boolean global) {
    return !global && (node.spec().drain() || node.status().state() == NodeState.DRAINING);
  }

  /**
   * Places {@code place.n()} instances in one batch and writes them; {@code moves} are the old
   * instances the first new ones replace (labelled {@link InstanceGroups#REPLACES}; the rest are
   * fresh). Lost instances are deleted in the same transactions as the fresh ones.
   */
  private Result placeAndWrite(Service service, InstanceGroups groups, Count.Place place, List<Instance> moves)
      throws InterruptedException {
    Result result;
    placing.lock();
    try {
      result = placeLocked(service, groups, place, moves);
    } finally {
      placing.unlock();
    }
    return caughtUp(result);
  }

  /**
   * The placement itself, under {@code placing}. It does not wait for the cache to show earlier
   * placements: those this controller committed and the cache does not show yet ({@link #usageWithUnseen})
   * are added to the snapshot, so capacity and ports are never handed out twice, and the next
   * service is decided while the cache catches up.
   */
  private Result placeLocked(Service service, InstanceGroups groups, Count.Place place, List<Instance> moves) {
    long t1 = System.nanoTime();
    if (!lostOrRecovered(cache.instancesOf(service.metadata().namespace(), service.metadata().name()), nodeLookup())
        .isEmpty()) {
      return AGAIN; // a node went down or came back meanwhile: decide again
    }
    List<Node> nodes = cache.nodes();
    Map<String, NodeUsage.View> used = usageWithUnseen();
    ClusterSnapshot snapshot = placements.snapshot(nodes, used);
    long ta = System.nanoTime();
    Demand demand = demand(service, groups);
    List<String> chosen;
    Optional<String> failure;
    if (place.onlyOn().isEmpty()) {
      BatchPlan plan = scheduler.place(demand, place.n(), snapshot);
      chosen = plan.nodes();
      failure = plan.complete() ? Optional.empty() : Optional.of(plan.reasons().text());
    } else {
      chosen = place.onlyOn();
      failure = Optional.empty();
    }
    long tb = System.nanoTime();
    Set<String> chosenNames = new HashSet<>(chosen);
    Map<String, Node> byName = new HashMap<>();
    nodes.stream().filter(n -> chosenNames.contains(n.metadata().name()))
        .forEach(n -> byName.put(n.metadata().name(), n));
    PlacementInputs.PortRange ports = placements.ports();
    PlacementInputs.PortBook book = new PlacementInputs.PortBook(used, nodes, ports);
    List<Instance> creates = new ArrayList<>();
    Set<String> names = new HashSet<>();
    String template = Rollouts.hash(service);
    for (String node : chosen) {
      Optional<Map<String, Integer>> assigned = book.assign(service.spec().tasks(), node);
      if (assigned.isEmpty()) {
        failure = Optional.of("1 node: no free port left in " + ports.first() + "-" + ports.last());
        break;
      }
      Instance old = creates.size() < moves.size() ? moves.get(creates.size()) : null;
      Instance fresh;
      do {
        fresh = newInstance(service, node, assigned.get(), old, template);
      } while (!names.add(fresh.metadata().name()));
      creates.add(fresh);
    }
    List<InstanceWrites.Removal> removals = new ArrayList<>();
    if (moves.isEmpty()) {
      for (Instance lost : groups.lost().subList(0, Math.min(creates.size(), groups.lost().size()))) {
        removals.add(new InstanceWrites.Removal(lost, InstanceGroups.removalReason(lost)));
      }
    }
    if (creates.isEmpty()) {
      writeStatus(service, groups, failedCondition(failure.orElse("no node fits")));
      return new RequeueAfter(PLACEMENT_RETRY);
    }
    long t2 = System.nanoTime();
    InstanceWrites.Outcome outcome = writes.commit(service, byName, creates, removals);
    if (outcome.created() > 0) {
      // Removals come first in the writes, so the committed creates are the first ones.
      placements.committed(outcome.revision(), creates.subList(0, outcome.created()));
    }
    if (log.isDebugEnabled()) {
      log.debug("{}: placed {} instances: snapshot {} ms, scheduler {} ms, ports and records {} ms, store {} ms",
          key(service.metadata().namespace(), service.metadata().name()), outcome.created(), ms(ta - t1),
          ms(tb - ta), ms(t2 - tb), ms(System.nanoTime() - t2));
    }
    if (outcome.conflict()) {
      return AGAIN;
    }
    Map<String, String> homes = VolumeHomes.of(service, creates);
    boolean newHomes = !homes.equals(VolumeHomes.recorded(service));
    if (failure.isEmpty() && !newHomes) {
      return AGAIN;
    }
    // Record where new named volumes live, and (some placed, the rest cannot be) say why.
    List<Instance> owned = new ArrayList<>(cache.instancesOf(service.metadata().namespace(), service.metadata().name()));
    Set<String> cached = new HashSet<>();
    owned.forEach(i -> cached.add(i.metadata().name()));
    creates.subList(0, outcome.created()).stream().filter(i -> !cached.contains(i.metadata().name()))
        .forEach(owned::add);
    statuses.write(service, owned, failure.map(ServiceController::failedCondition).orElse(null),
        newHomes ? VolumeHomes.condition(homes, clock.instant()) : null);
    return failure.isPresent() ? new RequeueAfter(PLACEMENT_RETRY) : AGAIN;
  }

  /** What every node's instances hold, with placements not seen by the cache yet ({@link Placements#usage}). */
  private Map<String, NodeUsage.View> usageWithUnseen() {
    return placements.usage();
  }

  /** The cluster as the cache shows it plus {@link #usageWithUnseen()}; called under {@code placing}. */
  private ClusterSnapshot snapshotWithUnseen() {
    return placements.snapshot();
  }

  private void writeStatus(Service service, InstanceGroups groups, Condition scheduled) {
    List<Instance> counted = new ArrayList<>(groups.live());
    counted.addAll(groups.lost());
    statuses.write(service, counted, scheduled, null);
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static Condition failedCondition(String why) {
    return new Condition(ServiceStatuses.SCHEDULED, false, "PlacementFailed", why, null);
  }

  private Optional<Result> rebalance(Service service, InstanceGroups groups) throws InterruptedException {
    boolean requested = Rebalancing.requested(service);
    if (!requested && !service.spec().placement().rebalance()) {
      return Optional.empty();
    }
    // One hold of the lock from the snapshot the moves were checked on to their write, so no
    // other placement takes the capacity they were checked against in between.
    Result result;
    placing.lock();
    try {
      List<Rebalancing.Move> moving = Rebalancing.moves(scheduler, snapshotWithUnseen(), demand(service, groups),
          groups, service.spec().update().parallelism());
      if (moving.isEmpty()) {
        if (!requested) {
          return Optional.empty();
        }
        result = null;
      } else {
        result = placeLocked(service, groups,
            new Count.Place(moving.size(), moving.stream().map(Rebalancing.Move::to).toList()),
            moving.stream().map(Rebalancing.Move::instance).toList());
      }
    } finally {
      placing.unlock();
    }
    if (result == null) {
      statuses.write(service, groups.live(), null,
          Rebalancing.done(clock.instant(), service.spec().placement().spreadOver()));
      return Optional.of(caughtUp(AGAIN));
    }
    return Optional.of(caughtUp(result));
  }

  private Result wrote(InstanceWrites.Outcome outcome) throws InterruptedException {
    cache.awaitRevision(outcome.revision(), CACHE_WAIT);
    return caughtUp(AGAIN);
  }

  private Result statusThen(Service service, InstanceGroups groups, Condition scheduled, Result then)
      throws InterruptedException {
    List<Instance> counted = new ArrayList<>(groups.live());
    counted.addAll(groups.lost());
    statuses.write(service, counted, scheduled, null);
    return caughtUp(then);
  }

  private Result caughtUp(Result result) throws InterruptedException {
    cache.awaitCurrent(CACHE_WAIT);
    return result;
  }

  /** Marks instances of down nodes lost and re-runs lost ones whose node is back; true if it wrote. */
  private boolean markLostOrRecovered(List<Instance> owned, Function<String, Optional<Node>> nodes) {
    List<InstanceStatusReports.Item> items = lostOrRecovered(owned, nodes);
    for (int from = 0; from < items.size(); from += InstanceStatusReports.MAX_ITEMS) {
      reports.report(items.subList(from, Math.min(items.size(), from + InstanceStatusReports.MAX_ITEMS)));
    }
    return !items.isEmpty();
  }

  /** The cache's nodes by name, each looked up once per pass (a service's instances share few nodes). */
  private Function<String, Optional<Node>> nodeLookup() {
    Map<String, Optional<Node>> seen = new HashMap<>();
    return name -> seen.computeIfAbsent(name, cache::node);
  }

  private List<InstanceStatusReports.Item> lostOrRecovered(List<Instance> owned,
      Function<String, Optional<Node>> nodes) {
    List<InstanceStatusReports.Item> items = new ArrayList<>();
    for (Instance i : owned) {
      Optional<Node> node = nodes.apply(i.spec().node());
      InstanceStatus s = i.status();
      if (InstanceGroups.down(node) && !s.state().terminal()) {
        items.add(item(i, new InstanceStatus(InstanceState.FAILED, s.health(), s.restarts(), null, NODE_DOWN,
            s.address(), s.startedAt(), clock.instant())));
      } else if (!InstanceGroups.down(node) && node.get().status().state() == NodeState.READY
          && InstanceGroups.isLost(i)) {
        items.add(item(i, InstanceStatus.EMPTY));
      }
    }
    return items;
  }

  private static InstanceStatusReports.Item item(Instance i, InstanceStatus status) {
    return new InstanceStatusReports.Item(i.metadata().namespace(), i.metadata().name(),
        ResourceCodec.json().valueToTree(status));
  }

  private static Instance newInstance(Service service, String node, Map<String, Integer> assignedPorts,
      Instance replaces, String template) {
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    Map<String, String> labels = new HashMap<>();
    labels.put("wharf.io/service", name);
    String stack = service.metadata().labels().get("wharf.io/stack");
    if (stack != null) {
      labels.put("wharf.io/stack", stack);
    }
    if (replaces != null) {
      labels.put(InstanceGroups.REPLACES, replaces.metadata().name());
    }
    labels.put(InstanceTemplate.LABEL, template);
    InstanceSpec spec = new InstanceSpec(new ResourceRef(Kind.SERVICE, ns, name), service.metadata().revision(), node,
        service.spec().tasks(), assignedPorts, service.spec().restart());
    return new Instance(new Metadata(instanceName(name), ns, labels, 0, null, null), spec);
  }

  /**
   * A fresh instance name: the service's name and 8 random characters (36^8 names, so a batch of
   * 100,000 collides with probability ~2e-3; a collision fails the create's absence compare and
   * the pass runs again with new names).
   */
  static String instanceName(String service) {
    String base = service.length() > 54 ? service.substring(0, 54) : service;
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(base).append('-');
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 8; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
