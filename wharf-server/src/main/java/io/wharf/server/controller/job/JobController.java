package io.wharf.server.controller.job;

import io.wharf.model.Condition;
import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.Node;
import io.wharf.model.ResourceRef;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.task.RestartMode;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.workload.JobPhase;
import io.wharf.model.workload.JobStatus;
import io.wharf.scheduler.Scheduler;
import io.wharf.server.controller.ClusterCache;
import io.wharf.server.controller.Reconciler;
import io.wharf.server.controller.dependency.DependencyGate;
import io.wharf.server.controller.dependency.DependencyState;
import io.wharf.server.controller.service.Placements;
import io.wharf.server.controller.service.ServiceController;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.nodes.InstanceStatusReports;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs Jobs (key {@code namespace/name}), level-triggered: each pass reads the job and its
 * instances from the cache, marks instances of down nodes failed (reason {@value ServiceController#NODE_DOWN}),
 * asks {@link JobSteps} what the run should look like, writes the status when it differs (with
 * {@code JobStarted}, {@code JobSucceeded} or {@code JobFailed} events), else carries out the one
 * action: place more instances, remove some, or delete the expired job. Backoff, the active
 * deadline and the TTL are delayed wake-ups of the key ({@link Reconciler.RequeueAfter}).
 *
 * <p>A job's instances are labelled {@value JobSteps#JOB_LABEL} and {@value JobSteps#RUN_LABEL},
 * carry the job's tasks (env included, as given: the cron controller passes {@code WHARF_RUN_ID}
 * that way) and its restart policy with mode {@code never}: the agent runs each once and this
 * controller does the retries. Placements go through the {@link Placements} shared with the
 * service controller, under its lock, so the two never hand out the same capacity or port.
 * Thread safety: no per-key state; the work queue runs one pass per key at a time.
 */
public final class JobController implements Reconciler {
  static final Duration PLACEMENT_RETRY = Duration.ofSeconds(30);
  private static final Duration CACHE_WAIT = Duration.ofSeconds(10);
  private static final Reconciler.Result AGAIN = new Reconciler.RequeueAfter(Duration.ZERO);
  /** Condition type saying whether the run's instances could be placed. */
  public static final String SCHEDULED = "Scheduled";
  /** Condition type saying whether the job's {@code dependsOn} are met (as a service's). */
  public static final String DEPENDENCIES = "DependenciesMet";
  static final Duration DEPENDENCY_POLL = Duration.ofSeconds(1);

  private final ClusterCache cache;
  private final InstanceStatusReports reports;
  private final Scheduler scheduler;
  private final Placements placements;
  private final JobWrites writes;
  private final InstantSource clock;

  /** Construct before the cache starts (the shared {@link Placements} follows it from its first list). */
  public JobController(ClusterCache cache, ResourceRegistry registry, InstanceStatusReports reports,
      Scheduler scheduler, Placements placements, InstantSource clock) {
    this.cache = cache;
    this.reports = reports;
    this.scheduler = scheduler;
    this.placements = placements;
    this.writes = new JobWrites(registry, clock);
    this.clock = clock;
  }

  /** The queue key of a job. */
  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The key of the job that owns {@code instance}, if a job does. */
  public static Optional<String> ownerKey(Instance instance) {
    ResourceRef owner = instance.spec().owner();
    return owner.kind() == Kind.JOB ? Optional.of(key(owner.namespace(), owner.name())) : Optional.empty();
  }

  @Override
  public Result reconcile(String key) throws InterruptedException {
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    List<Instance> owned = cache.jobInstancesOf(ns, name);
    Optional<Job> found = cache.job(ns, name);
    if (found.isEmpty()) {
      return owned.isEmpty() ? DONE : wrote(writes.remove(ns, name, 0, owned, "job deleted"));
    }
    Job job = found.get();
    if (markLost(owned)) {
      return caughtUp(AGAIN);
    }
    JobSteps.Decision d = JobSteps.decide(job, owned, clock.instant());
    if (!d.status().equals(job.status())) {
      return wrote(writes.status(job, d.status(), events(job, d.status())));
    }
    return switch (d.action()) {
      case JobSteps.Wait w -> w.after() == null ? DONE : new RequeueAfter(w.after());
      case JobSteps.Remove r -> wrote(writes.remove(ns, name, job.metadata().revision(), r.instances(), r.why()));
      case JobSteps.Expire e -> {
        long revision = writes.expire(job, e.instances());
        yield revision == 0 ? caughtUp(AGAIN) : wrote(revision);
      }
      case JobSteps.Place p -> {
        Optional<Result> waiting = owned.isEmpty() && job.status().attempts().isEmpty()
            ? awaitDependencies(job) : Optional.empty();
        yield waiting.isPresent() ? waiting.get() : place(job, p.n());
      }
    };
  }

  /**
   * Before a run starts its first instance: every {@code dependsOn} must have reached its
   * condition ({@link DependencyGate}, counted from the run's start). Unmet: the condition
   * {@value #DEPENDENCIES} says what it waits for and the job looks again after
   * {@link #DEPENDENCY_POLL} (dependencies' changes do not queue jobs); past a dependency's
   * timeout the run fails (reason {@code DependencyTimeout}). Empty when the run may start.
   */
  private Optional<Result> awaitDependencies(Job job) throws InterruptedException {
    if (job.spec().dependsOn().isEmpty()) {
      return Optional.empty();
    }
    String ns = job.metadata().namespace();
    java.time.Instant now = clock.instant();
    DependencyGate.Verdict verdict = DependencyGate.check(job.spec().dependsOn(), name -> dependencyState(ns, name),
        job.status().startedAt(), now);
    JobStatus s = job.status();
    List<Condition> others = new ArrayList<>();
    s.conditions().stream().filter(c -> !c.type().equals(DEPENDENCIES)).forEach(others::add);
    Condition was = condition(s, DEPENDENCIES);
    switch (verdict) {
      case DependencyGate.Open o -> {
        if (was == null || was.status()) {
          return Optional.empty();
        }
        others.add(new Condition(DEPENDENCIES, true, "Met", "every dependency is met", now));
        return Optional.of(wrote(writes.status(job, with(s, s.phase(), s.completedAt(), others), List.of(
            ResourceRegistry.draft(EventType.Updated, ResourceType.JOB, ns, job.metadata().name(), "DependenciesMet",
                "every dependency is met")))));
      }
      case DependencyGate.Waiting w -> {
        if (was == null || was.status() || !Objects.equals(was.message(), w.reason())) {
          others.add(new Condition(DEPENDENCIES, false, "Waiting", w.reason(), now));
          writes.status(job, with(s, s.phase(), s.completedAt(), others), List.of(ResourceRegistry.draft(
              EventType.Updated, ResourceType.JOB, ns, job.metadata().name(), "WaitingForDependencies", w.reason())));
        }
        Duration again = w.left().compareTo(DEPENDENCY_POLL) < 0 ? w.left() : DEPENDENCY_POLL;
        return Optional.of(caughtUp(new RequeueAfter(again)));
      }
      case DependencyGate.TimedOut t -> {
        String message = "dependency \"" + t.dependency().name() + "\" not met within "
            + io.wharf.model.quantity.Durations.format(t.dependency().timeout()) + " (" + t.reason() + ")";
        others.add(new Condition(DEPENDENCIES, false, "DependencyTimeout", message, now));
        others.add(new Condition(JobSteps.FAILED, true, "DependencyTimeout", message, now));
        JobStatus failed = with(s, JobPhase.FAILED, now, others);
        return Optional.of(wrote(writes.status(job, failed, events(job, failed))));
      }
    }
  }

  private static JobStatus with(JobStatus s, JobPhase phase, java.time.Instant completedAt, List<Condition> conditions) {
    return new JobStatus(phase, s.active(), s.succeeded(), s.failed(), s.startedAt(), completedAt, conditions, s.run(),
        s.requestedRun(), s.attempts());
  }

  /**
   * A dependency as the gate sees it: a service by the instances it wants and the running and
   * ready counts of its status (written by the service controller), a job by its phase.
   */
  private DependencyState dependencyState(String ns, String name) {
    Optional<io.wharf.model.Service> service = cache.service(ns, name);
    if (service.isPresent()) {
      var st = service.get().status();
      int desired = service.get().spec().placement().global() ? Math.max(1, st.desired())
          : service.get().spec().replicas();
      return new DependencyState.ServiceState(desired, st.running(), st.ready());
    }
    return cache.job(ns, name).<DependencyState>map(j -> new DependencyState.JobState(j.status().phase()))
        .orElse(DependencyState.MISSING);
  }

  /** The events of a status change: a run starting, succeeding or failing. */
  private static List<EventDraft> events(Job job, JobStatus next) {
    String ns = job.metadata().namespace();
    String name = job.metadata().name();
    JobStatus before = job.status();
    List<EventDraft> out = new ArrayList<>();
    if (next.run() != before.run()) {
      out.add(ResourceRegistry.draft(EventType.Updated, ResourceType.JOB, ns, name, "JobStarted",
          "run " + next.run() + ": " + job.spec().completions() + " completions, parallelism "
              + job.spec().parallelism() + ", backoffLimit " + job.spec().backoffLimit()));
    } else if (next.phase() != before.phase() && next.finished()) {
      String message = next.conditions().stream()
          .filter(c -> c.type().equals(JobSteps.COMPLETE) || c.type().equals(JobSteps.FAILED))
          .map(c -> c.reason() + ": " + c.message()).findFirst().orElse("");
      out.add(next.phase() == JobPhase.SUCCEEDED
          ? ResourceRegistry.draft(EventType.Updated, ResourceType.JOB, ns, name, "JobSucceeded",
              "run " + next.run() + ": " + message)
          : ResourceRegistry.draft(EventType.Warning, ResourceType.JOB, ns, name, "JobFailed",
              "run " + next.run() + ": " + message));
    } else {
      Condition scheduled = condition(next, SCHEDULED);
      Condition was = condition(before, SCHEDULED);
      if (scheduled != null && !scheduled.status() && (was == null || was.status()
          || !Objects.equals(was.message(), scheduled.message()))) {
        out.add(ResourceRegistry.draft(EventType.Warning, ResourceType.JOB, ns, name, "PlacementFailed",
            scheduled.message()));
      }
    }
    if (out.isEmpty()) {
      out.add(ResourceRegistry.draft(EventType.Updated, ResourceType.JOB, ns, name, "StatusUpdated",
          "run " + next.run() + ": active " + next.active() + ", succeeded " + next.succeeded() + ", failed "
              + next.failed()));
    }
    return out;
  }

  private static Condition condition(JobStatus s, String type) {
    return s.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }

  /** Places {@code n} instances of the job's current run under the shared placement lock. */
  private Result place(Job job, int n) throws InterruptedException {
    String ns = job.metadata().namespace();
    String name = job.metadata().name();
    Placements.Placed placed;
    long revision;
    placements.lock().lock();
    try {
      placed = placements.placeJob(scheduler, ns, name, job.spec().tasks(), job.spec().placement(), n);
      List<Instance> creates = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (Placements.Slot slot : placed.slots()) {
        Instance fresh;
        do {
          fresh = newInstance(job, slot);
        } while (!names.add(fresh.metadata().name()));
        creates.add(fresh);
      }
      Map<String, Node> nodes = new HashMap<>();
      placed.slots().forEach(s -> cache.node(s.node()).ifPresent(node -> nodes.put(s.node(), node)));
      revision = creates.isEmpty() ? 0 : writes.create(job, nodes, creates);
      if (revision != 0) {
        placements.committed(revision, creates);
      } else if (!creates.isEmpty()) {
        return caughtUp(AGAIN); // stale: decide again
      }
    } finally {
      placements.lock().unlock();
    }
    Condition was = condition(job.status(), SCHEDULED);
    Condition now = placed.shortfall()
        .map(why -> new Condition(SCHEDULED, false, "PlacementFailed", why, clock.instant()))
        .orElse(was == null || was.status() ? was
            : new Condition(SCHEDULED, true, "Placed", "every instance placed", clock.instant()));
    if (!Objects.equals(now, was)) {
      if (revision != 0) {
        cache.awaitRevision(revision, CACHE_WAIT);
      }
      Optional<Job> fresh = cache.job(ns, name);
      if (fresh.isPresent() && (was == null || now == null || was.status() != now.status()
          || !Objects.equals(was.message(), now.message()))) {
        Job j = fresh.get();
        List<Condition> conditions = new ArrayList<>();
        j.status().conditions().stream().filter(c -> !c.type().equals(SCHEDULED)).forEach(conditions::add);
        conditions.add(now);
        JobStatus s = j.status();
        JobStatus next = new JobStatus(s.phase(), s.active(), s.succeeded(), s.failed(), s.startedAt(),
            s.completedAt(), conditions, s.run(), s.requestedRun(), s.attempts());
        writes.status(j, next, events(j, next));
      }
    }
    if (placed.slots().isEmpty()) {
      return caughtUp(new RequeueAfter(PLACEMENT_RETRY));
    }
    cache.awaitRevision(revision, CACHE_WAIT);
    return caughtUp(placed.shortfall().isPresent() ? new RequeueAfter(PLACEMENT_RETRY) : AGAIN);
  }

  private static Instance newInstance(Job job, Placements.Slot slot) {
    String ns = job.metadata().namespace();
    String name = job.metadata().name();
    Map<String, String> labels = new HashMap<>();
    labels.put(JobSteps.JOB_LABEL, name);
    labels.put(JobSteps.RUN_LABEL, Integer.toString(job.status().run()));
    for (String carried : List.of("wharf.io/stack", "wharf.io/cronjob", "wharf.io/slot")) {
      String v = job.metadata().labels().get(carried);
      if (v != null) {
        labels.put(carried, v);
      }
    }
    RestartPolicy r = job.spec().restart();
    RestartPolicy once = new RestartPolicy(RestartMode.NEVER, 0, r.interval(), r.delay(), r.maxDelay(), r.multiplier());
    InstanceSpec spec = new InstanceSpec(new ResourceRef(Kind.JOB, ns, name), job.metadata().revision(), slot.node(),
        job.spec().tasks(), slot.ports(), once);
    return new Instance(new Metadata(instanceName(name), ns, labels, 0, null, null), spec);
  }

  /**
   * A fresh instance name: the job's name and 8 random characters, as a service's instances are
   * named (the cache finds a job's instances by that prefix; a collision fails the create's
   * absence compare and the pass runs again).
   */
  static String instanceName(String job) {
    String base = job.length() > 54 ? job.substring(0, 54) : job;
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(base).append('-');
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < 8; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** Marks non-terminal instances of down (or unknown) nodes failed; true if it wrote. */
  private boolean markLost(List<Instance> owned) {
    List<InstanceStatusReports.Item> items = new ArrayList<>();
    Map<String, Optional<Node>> nodes = new HashMap<>();
    for (Instance i : owned) {
      Optional<Node> node = nodes.computeIfAbsent(i.spec().node(), cache::node);
      InstanceStatus s = i.status();
      boolean down = node.isEmpty() || node.get().status().state() == NodeState.DOWN;
      if (down && !s.state().terminal()) {
        InstanceStatus lost = new InstanceStatus(InstanceState.FAILED, s.health(), s.restarts(), null,
            ServiceController.NODE_DOWN, s.address(), s.startedAt(), clock.instant());
        items.add(new InstanceStatusReports.Item(i.metadata().namespace(), i.metadata().name(),
            ResourceCodec.json().valueToTree(lost)));
      }
    }
    for (int from = 0; from < items.size(); from += InstanceStatusReports.MAX_ITEMS) {
      reports.report(items.subList(from, Math.min(items.size(), from + InstanceStatusReports.MAX_ITEMS)));
    }
    return !items.isEmpty();
  }

  private Result wrote(long revision) throws InterruptedException {
    if (revision != 0) {
      cache.awaitRevision(revision, CACHE_WAIT);
    }
    return caughtUp(AGAIN);
  }

  private Result caughtUp(Result result) throws InterruptedException {
    cache.awaitCurrent(CACHE_WAIT);
    return result;
  }
}
