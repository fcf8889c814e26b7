package io.wharf.server.controller.service;

import io.wharf.model.Instance;
import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.scheduler.BatchPlan;
import io.wharf.scheduler.GlobalPlan;
import io.wharf.scheduler.PlacementRound;
import io.wharf.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where the new instances of services about to be applied would go on the cluster as it is now
 * ({@code wharf plan}'s dry run): the same scheduler and inputs as the service controller, all
 * services of the plan placed in one round (in order), so they compete for capacity as they will.
 * Pure.
 */
public final class PlacementPreview {
  private PlacementPreview() {}

  /**
   * One service's preview: {@code wanted} new instances, {@code byNode} where those that fit go,
   * and, when some do not fit, why ({@code reasons}, grouped by cause: {@code 3 nodes: not enough
   * memory ...}).
   */
  public record Result(String namespace, String name, int wanted, Map<String, Integer> byNode, String reasons) {
    public Result {
      Objects.requireNonNull(name, "name");
      byNode = java.util.Collections.unmodifiableMap(new TreeMap<>(byNode));
    }

    public int placed() {
      return byNode.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * Previews {@code services} (as they will be stored) against {@code nodes} and
   * {@code instances} (as stored now); {@code others} are the stored services not in the plan
   * (for conflicts). Services that need no new instance are left out.
   */
  public static List<Result> preview(List<Service> services, List<Service> others, List<Node> nodes,
      List<Instance> instances, Scheduler scheduler) {
    List<Service> all = new ArrayList<>(others);
    all.addAll(services);
    Map<String, List<String>> conflicts = PlacementInputs.declaredConflicts(all);
    PlacementRound round = scheduler.round(PlacementInputs.snapshot(nodes, instances));
    List<Result> out = new ArrayList<>();
    for (Service s : services) {
      String ns = s.metadata().namespace();
      String name = s.metadata().name();
      List<Instance> live = instances.stream()
          .filter(i -> PlacementInputs.ownedBy(i, ns, name) && !InstanceGroups.isLost(i)).toList();
      var demand = PlacementInputs.demand(s, conflicts, VolumeHomes.of(s, live));
      Map<String, Integer> byNode = new HashMap<>();
      if (s.spec().placement().global()) {
        GlobalPlan plan = round.global(demand);
        plan.add().forEach(n -> byNode.merge(n, 1, Integer::sum));
        if (!plan.add().isEmpty() || plan.eligible().isEmpty()) {
          out.add(new Result(ns, name, plan.add().size(), byNode,
              plan.eligible().isEmpty() ? plan.reasons().text() : null));
        }
        continue;
      }
      int wanted = s.spec().replicas() - live.size();
      if (wanted <= 0) {
        continue;
      }
      BatchPlan plan = round.place(demand, wanted);
      plan.nodes().forEach(n -> byNode.merge(n, 1, Integer::sum));
      out.add(new Result(ns, name, wanted, byNode, plan.complete() ? null : plan.reasons().text()));
    }
    return out;
  }
}
