package io.wharf.server.controller;

import io.wharf.model.CronJob;
import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.scheduler.Scheduler;
import io.wharf.server.controller.cron.CronCache;
import io.wharf.server.controller.cron.CronController;
import io.wharf.server.controller.cron.CronRuns;
import io.wharf.server.controller.dependency.Dependents;
import io.wharf.server.controller.job.JobController;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.server.controller.node.NodeController;
import io.wharf.server.controller.rollout.TemplateInputs;
import io.wharf.server.controller.service.Placements;
import io.wharf.server.controller.service.ServiceController;
import io.wharf.server.nodes.InstanceStatusReports;
import io.wharf.server.nodes.NodeLiveness;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.Store;
import java.time.InstantSource;

/**
 * The server's control loops, wired by hand: one {@link ClusterCache}, and for each controller a
 * work queue fed by the cache's change handlers. Start order: queues and workers, then the cache
 * (whose initial list queues every object); {@link #close} stops them in reverse.
 *
 * <p>What queues what: a service change queues that service; an instance change queues its
 * owning service or job; a job change queues that job; a node change (or its lease key appearing
 * or vanishing) queues the node, every service and every unfinished job (placements and lost
 * instances depend on nodes). Through {@link Dependents}, a service's, job's or their instances'
 * change also queues the services that depend on it, and a changed or deleted service queues
 * those it depended on (ordered start and stop).
 */
public final class Controllers implements AutoCloseable {
  private final ClusterCache cache;
  private final Controller nodes;
  private final Controller services;
  private final CronCache cronCache;
  private final Controller crons;
  private final Controller jobs;
  private final Dependents dependents = new Dependents();

  public Controllers(Store store, ResourceRegistry registry, InstanceStatusReports reports, InstantSource clock) {
    this.cache = new ClusterCache(store);
    this.nodes = new Controller("node-controller", new NodeController(cache, registry),
        new WorkQueue(clock, Backoff.DEFAULT), 1);
    Placements placements = new Placements(cache);
    this.services = new Controller("service-controller",
        new ServiceController(cache, registry, reports, new Scheduler(), clock, placements),
        new WorkQueue(clock, Backoff.DEFAULT), 4);
    this.jobs = new Controller("job-controller",
        new JobController(cache, registry, reports, new Scheduler(), placements, clock),
        new WorkQueue(clock, Backoff.DEFAULT), 2);
    cache.onChange(this::route);
    // Cron jobs have their own cache and watch (cron jobs and their jobs); see controller.cron.
    WorkQueue cronQueue = new WorkQueue(clock, Backoff.DEFAULT);
    this.cronCache = new CronCache(store, r -> {
      switch (r) {
        case CronJob c -> cronQueue.add(CronController.key(c.metadata().namespace(), c.metadata().name()));
        case Job j -> CronRuns.owner(j).ifPresent(o -> cronQueue.add(CronController.key(j.metadata().namespace(), o)));
        default -> { }
      }
    });
    this.crons = new Controller("cron-controller", new CronController(cronCache, registry, clock), cronQueue, 64);
    try {
      cronCache.start();
      cache.start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void route(ClusterCache.Change change) {
    if (change.key().startsWith(NodeLiveness.LEASE_PREFIX)) {
      nodeChanged(change.key().substring(NodeLiveness.LEASE_PREFIX.length()));
      return;
    }
    if (ClusterCache.isInput(change.key())) {
      inputChanged(change.key());
      return;
    }
    switch (change.resource()) {
      case Service s -> {
        services.queue().add(ServiceController.key(s.metadata().namespace(), s.metadata().name()));
        dependencyEdges(change, s);
      }
      case Instance i -> {
        ServiceController.ownerKey(i).ifPresent(key -> {
          services.queue().add(key);
          dependents.of(i.spec().owner().namespace(), i.spec().owner().name()).forEach(services.queue()::add);
        });
        JobController.ownerKey(i).ifPresent(jobs.queue()::add);
      }
      case Job j -> {
        jobs.queue().add(JobController.key(j.metadata().namespace(), j.metadata().name()));
        dependents.of(j.metadata().namespace(), j.metadata().name()).forEach(services.queue()::add);
      }
      case Node n -> nodeChanged(n.metadata().name());
      case null, default -> { }
    }
  }

  /**
   * A service changed: its dependents may start (or stop waiting), and when it is gone (or no
   * longer depends on them) the services it depended on may stop.
   */
  private void dependencyEdges(ClusterCache.Change change, Service s) {
    String ns = s.metadata().namespace();
    String name = s.metadata().name();
    dependents.of(ns, name).forEach(services.queue()::add);
    if (change.before() != null && change.before().resource() instanceof Service old) {
      Dependents.names(old).forEach(d -> services.queue().add(ServiceController.key(ns, d)));
    }
    dependents.update(ns, name, change.after() == null ? null : (Service) change.after().resource());
  }

  /** A config or secret changed: the services of its namespace that take it look again (see TemplateInputs). */
  private void inputChanged(String key) {
    ResourceKeys.parse(key).ifPresent(a -> {
      String input = InstanceTemplate.inputKey(a.type() == ResourceType.SECRET, a.name());
      for (Service s : cache.services()) {
        if (s.metadata().namespace().equals(a.namespace())
            && TemplateInputs.referenced(s.spec().tasks()).contains(input)) {
          services.queue().add(ServiceController.key(a.namespace(), s.metadata().name()));
        }
      }
    });
  }

  private void nodeChanged(String name) {
    nodes.queue().add(name);
    for (Service s : cache.services()) {
      services.queue().add(ServiceController.key(s.metadata().namespace(), s.metadata().name()));
    }
    for (Job j : cache.jobs()) {
      if (!j.status().finished()) {
        jobs.queue().add(JobController.key(j.metadata().namespace(), j.metadata().name()));
      }
    }
  }

  public ClusterCache cache() {
    return cache;
  }

  @Override
  public void close() {
    cronCache.close();
    crons.close();
    cache.close();
    jobs.close();
    services.close();
    nodes.close();
  }
}
