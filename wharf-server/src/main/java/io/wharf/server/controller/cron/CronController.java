package io.wharf.server.controller.cron;

import io.wharf.model.CronJob;
import io.wharf.model.workload.CronJobSpec;
import io.wharf.server.controller.Reconciler;
import io.wharf.server.cron.CronSlots;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.Txn;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reconciles one cron job (key {@code ns/name}): plans a pass ({@link CronPass}) on the cache's
 * view and the clock's now, commits it ({@link CronFiring}) and asks to be woken at the next slot
 * ({@link Reconciler.RequeueAfter} on the work queue, measured on the same clock). A plan made on
 * a stale view writes nothing; the key is looked at again once the cache caught up. A deleted cron
 * job's slot lease keys are deleted (its jobs stay until their TTL, like any finished job).
 *
 * <p>Thread safety: safe for many workers (the queue never hands one key to two); the schedule
 * cache is a concurrent map of immutable {@link CronSlots}.
 */
public final class CronController implements Reconciler {
  private static final Duration CATCH_UP = Duration.ofSeconds(10);

  private final CronCache cache;
  private final ResourceRegistry registry;
  private final CronFiring firing;
  private final InstantSource clock;
  private final ConcurrentHashMap<String, CronSlots> schedules = new ConcurrentHashMap<>();

  /** {@code registry} writes through the leader's fenced writer. */
  public CronController(CronCache cache, ResourceRegistry registry, InstantSource clock) {
    this.cache = cache;
    this.registry = registry;
    this.firing = new CronFiring(registry);
    this.clock = clock;
  }

  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public Result reconcile(String key) throws InterruptedException {
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    var cron = cache.cronJob(ns, name);
    if (cron.isEmpty()) {
      forgetLeases(ns, name);
      return DONE;
    }
    Instant now = clock.instant();
    CronPass.Plan plan = CronPass.plan(cron.get(), cache.jobsOf(ns, name), slots(cron.get().spec()), now);
    if (plan.writes()) {
      CronFiring.Outcome outcome = firing.commit(cron.get(), plan);
      if (outcome instanceof CronFiring.Committed c) {
        cache.awaitRevision(c.revision(), CATCH_UP);
      } else {
        cache.awaitCurrent(CATCH_UP);
      }
      // The write changed the cron job, whose change queues this key again; look at once anyway.
      return new RequeueAfter(Duration.ZERO);
    }
    return plan.wakeAt().<Result>map(at -> new RequeueAfter(Duration.between(now, at))).orElse(DONE);
  }

  CronSlots slots(CronJobSpec spec) {
    return schedules.computeIfAbsent(spec.schedule() + "\n" + spec.timeZone(),
        k -> CronSlots.of(spec.schedule(), ZoneId.of(spec.timeZone())));
  }

  private void forgetLeases(String ns, String name) {
    String prefix = CronRuns.leasePrefix(ns, name);
    if (registry.store().range(prefix, null, 1).kvs().isEmpty()) {
      return;
    }
    String cronKey = ResourceKeys.key(ResourceType.CRON_JOB, ns, name);
    registry.writer().write(now -> new ChangeWriter.Commit<>(List.of(Txn.Compare.absent(cronKey)),
        List.of(new Txn.DeletePrefix(prefix)), List.of(), r -> r));
  }
}
