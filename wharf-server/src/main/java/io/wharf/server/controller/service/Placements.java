package io.wharf.server.controller.service;

import io.wharf.model.Instance;
import io.wharf.model.Node;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.PlacementSpec;
import io.wharf.scheduler.BatchPlan;
import io.wharf.scheduler.ClusterSnapshot;
import io.wharf.scheduler.Demand;
import io.wharf.scheduler.Scheduler;
import io.wharf.server.controller.ClusterCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What placements of every controller share so no two of them give out the same capacity or
 * dynamic port: one lock held from a placement's snapshot to its write, what every node's
 * instances hold ({@link NodeUsage}, following the cache), and the instances placements committed
 * that the cache does not show yet ("unseen"), added to every snapshot so nobody waits for the
 * cache. The service and job controllers share one.
 *
 * <p>Thread safety: {@link #snapshot}, {@link #usage}, {@link #committed} and {@link #placeJob}
 * must be called while holding {@link #lock()}; the usage index has its own lock.
 */
public final class Placements {
  private final ClusterCache cache;
  private final ReentrantLock placing = new ReentrantLock();
  /**
   * Instances committed by placements, by the revision that committed the last of them, kept
   * until the cache has applied that revision; guarded by {@code placing}.
   */
  private final List<Committed> unseen = new ArrayList<>();
  /** What every node's instances hold, following the cache (so a pass does not rescan them all). */
  private final NodeUsage usage = new NodeUsage();
  /** Each node's scheduler candidate, reused while unchanged; guarded by {@code placing}. */
  private final PlacementInputs.Candidates candidates = new PlacementInputs.Candidates();
  private final PlacementInputs.PortRange ports = PlacementInputs.PortRange.DEFAULT;

  private record Committed(long revision, List<Instance> instances) {}

  /** Construct before the cache starts: it follows the cache's changes from its first list on. */
  public Placements(ClusterCache cache) {
    this.cache = cache;
    cache.onChange(usage::apply);
  }

  /** The placement lock: hold it from a snapshot to the write of what was placed on it. */
  public ReentrantLock lock() {
    return placing;
  }

  PlacementInputs.PortRange ports() {
    return ports;
  }

  /**
   * What every node's instances hold as the cache shows it, plus the instances committed that
   * the cache does not show yet. Batches whose revision the cache had applied before the usage
   * was read are forgotten (what it does not show of them was deleted since); the revision is
   * read first, and the index follows every change before the cache's revision moves past it,
   * so such a batch is always in what is read after. Called under the lock.
   */
  Map<String, NodeUsage.View> usage() {
    long applied = cache.revision();
    unseen.removeIf(c -> c.revision() <= applied);
    List<Instance> overlay = new ArrayList<>();
    unseen.forEach(c -> overlay.addAll(c.instances()));
    return usage.read(overlay);
  }

  /** The scheduler's view of {@code nodes} with {@code used}; called under the lock. */
  ClusterSnapshot snapshot(List<Node> nodes, Map<String, NodeUsage.View> used) {
    return candidates.snapshot(nodes, used);
  }

  /** The cluster as the cache shows it plus {@link #usage()}; called under the lock. */
  ClusterSnapshot snapshot() {
    return snapshot(cache.nodes(), usage());
  }

  /** Instances committed at {@code revision}, counted until the cache shows them; called under the lock. */
  public void committed(long revision, List<Instance> instances) {
    if (!instances.isEmpty()) {
      unseen.add(new Committed(revision, List.copyOf(instances)));
    }
  }

  /** Where a batch of a job's instances go: node and host ports of each, and why any are missing. */
  public record Placed(List<Slot> slots, Optional<String> shortfall) {
    public Placed {
      slots = List.copyOf(slots);
    }
  }

  /** One instance's node and host ports. */
  public record Slot(String node, Map<String, Integer> ports) {}

  /**
   * Places {@code n} instances of the job {@code namespace/name} (its tasks and placement rules)
   * with the scheduler's batch placement and assigns their host ports. Called under the lock; the
   * caller writes them and reports them with {@link #committed} before releasing it.
   */
  public Placed placeJob(Scheduler scheduler, String namespace, String name, List<TaskSpec> tasks,
      PlacementSpec placement, int n) {
    Map<String, NodeUsage.View> used = usage();
    ClusterSnapshot snapshot = snapshot(cache.nodes(), used);
    Demand demand = PlacementInputs.demand(namespace, name, tasks, placement, Map.of(), Map.of());
    BatchPlan plan = scheduler.place(demand, n, snapshot);
    Optional<String> shortfall = plan.complete() ? Optional.empty() : Optional.of(plan.reasons().text());
    PlacementInputs.PortBook book = new PlacementInputs.PortBook(used, cache.nodes(), ports);
    List<Slot> slots = new ArrayList<>();
    for (String node : plan.nodes()) {
      Optional<Map<String, Integer>> assigned = book.assign(tasks, node);
      if (assigned.isEmpty()) {
        shortfall = Optional.of("1 node: no free port left in " + ports.first() + "-" + ports.last());
        break;
      }
      slots.add(new Slot(node, assigned.get()));
    }
    return new Placed(slots, shortfall);
  }
}
