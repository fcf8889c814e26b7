package io.wharf.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded randomized invariants over many small random clusters. A failure names its seed; replay
 * one with {@code -Dwharf.scheduler.seed=N}; run more with {@code -Dwharf.scheduler.seeds=N}.
 */
class SchedulerInvariantsTest {
  static final Scheduler scheduler = new Scheduler();

  static LongStream seeds() {
    Long one = Long.getLong("wharf.scheduler.seed");
    return one != null ? LongStream.of(one) : LongStream.rangeClosed(1, Long.getLong("wharf.scheduler.seeds", 300));
  }

  static void withSeed(long seed, Runnable body) {
    try {
      body.run();
    } catch (AssertionError e) {
      throw new AssertionError("seed " + seed + " (replay: -Dwharf.scheduler.seed=" + seed + "): " + e.getMessage(), e);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void noNodeIsOvercommittedConflictsStayApartAndGlobalServicesRunOncePerEligibleNode(long seed) {
    withSeed(seed, () -> {
      RandomClusters gen = new RandomClusters(seed);
      ClusterSnapshot cluster = gen.cluster();
      Map<String, Set<String>> declared = gen.declaredConflicts();
      Ledger ledger = new Ledger(cluster);
      PlacementRound round = scheduler.round(cluster);
      List<String> workloads = new ArrayList<>(RandomClusters.WORKLOADS);
      Collections.shuffle(workloads, new Random(seed));
      // Demands are placed in interleaved chunks, so a round's cached rules must notice
      // conflicting placements and created volumes between calls.
      Random chunks = new Random(seed);
      List<Demand> batches = new ArrayList<>();
      List<Integer> remaining = new ArrayList<>();
      for (String w : workloads) {
        Demand d = gen.demand(w, declared);
        if (gen.global()) {
          checkGlobal(round.global(d), d, ledger);
        } else {
          batches.add(d);
          remaining.add(gen.count());
        }
      }
      while (!batches.isEmpty()) {
        int k = chunks.nextInt(batches.size());
        int chunk = 1 + chunks.nextInt(Math.max(1, remaining.get(k)));
        BatchPlan plan = round.place(batches.get(k), Math.min(chunk, remaining.get(k)));
        checkBatch(plan, batches.get(k), ledger);
        remaining.set(k, remaining.get(k) - plan.requested());
        if (remaining.get(k) <= 0 || !plan.complete()) {
          batches.remove(k);
          remaining.remove(k);
        }
      }
      for (NodeCandidate n : cluster.nodes()) {
        if (ledger.placedHere.get(n.name()).isEmpty()) {
          continue;
        }
        long[] used = ledger.used.get(n.name());
        assertThat(used[0]).as("cpu of %s", n.name()).isLessThanOrEqualTo(n.allocatable().cpu().millicores());
        assertThat(used[1]).as("memory of %s", n.name()).isLessThanOrEqualTo(n.allocatable().memory().bytes());
        declared.forEach((a, bs) -> bs.forEach(b -> {
          boolean together = ledger.count(n.name(), a) > 0 && ledger.count(n.name(), b) > 0;
          boolean placed = ledger.placedHere.get(n.name()).contains(a) || ledger.placedHere.get(n.name()).contains(b);
          assertThat(together && placed).as("conflicting %s and %s placed together on %s", a, b, n.name()).isFalse();
        }));
      }
    });
  }

  private static void checkBatch(BatchPlan plan, Demand d, Ledger ledger) {
    for (String node : plan.nodes()) {
      assertThat(ledger.admits(node, d, false)).as("%s placed on %s, which cannot take it", d, node).isTrue();
      assertThat(node).as("best node by the ranking for %s", d).isEqualTo(ledger.best(d));
      ledger.apply(node, d);
    }
    if (!plan.complete()) {
      List<String> vetoed = plan.vetoes().stream().map(Veto::node).toList();
      assertThat(vetoed).as("every node explains why it took no more")
          .containsExactlyElementsOf(ledger.nodes.stream().map(NodeCandidate::name).toList());
      for (String node : vetoed) {
        assertThat(ledger.admits(node, d, false)).as("%s was vetoed on %s but fits", d.workload(), node).isFalse();
      }
    } else {
      assertThat(plan.vetoes()).isEmpty();
    }
  }

  private static void checkGlobal(GlobalPlan plan, Demand d, Ledger ledger) {
    Set<String> eligible = new HashSet<>(plan.eligible());
    Set<String> vetoed = new HashSet<>(plan.vetoes().stream().map(Veto::node).toList());
    assertThat(Collections.disjoint(eligible, vetoed)).as("eligible and vetoed overlap").isTrue();
    assertThat(eligible.size() + vetoed.size()).isEqualTo(ledger.nodes.size());
    assertThat(plan.add()).allMatch(eligible::contains);
    for (NodeCandidate n : ledger.nodes) {
      int before = ledger.count(n.name(), d.workload());
      int after = before + (plan.add().contains(n.name()) ? 1 : 0) - plan.remove().getOrDefault(n.name(), 0);
      assertThat(after).as("instances of %s on %s after the plan", d.workload(), n.name())
          .isEqualTo(eligible.contains(n.name()) ? 1 : 0);
    }
    for (String node : plan.add()) {
      assertThat(ledger.admits(node, d, true)).as("global %s added on %s, which cannot take it", d, node).isTrue();
      ledger.apply(node, d, false);
    }
    for (NodeCandidate n : ledger.nodes) {
      if (!eligible.contains(n.name()) && ledger.count(n.name(), d.workload()) == 0) {
        assertThat(ledger.admits(n.name(), d, true)).as("%s vetoed on %s but fits", d.workload(), n.name()).isFalse();
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aBatchPlacesExactlyWhereRepeatedSinglePlacementsWould(long seed) {
    withSeed(seed, () -> {
      RandomClusters gen = new RandomClusters(seed);
      ClusterSnapshot cluster = gen.cluster();
      Map<String, Set<String>> declared = gen.declaredConflicts();
      Demand d = gen.demand(RandomClusters.WORKLOADS.get(0), declared);
      int count = gen.count();

      BatchPlan batch = scheduler.place(d, count, cluster);

      Ledger ledger = new Ledger(cluster);
      List<String> one = new ArrayList<>();
      Plan last = null;
      Demand current = d;
      while (one.size() < count) {
        last = scheduler.schedule(current, ledger.snapshot());
        if (!(last instanceof Plan.Placement p)) {
          break;
        }
        one.add(p.node());
        ledger.apply(p.node(), current);
        current = current.withVolumes(current.volumes().stream()
            .map(v -> v.node() == null ? new NamedVolume(v.name(), p.node()) : v).toList());
      }
      assertThat(batch.nodes()).as("batch vs one at a time for %s", d).containsExactlyElementsOf(one);
      if (!batch.complete()) {
        assertThat(batch.vetoes()).isEqualTo(last.vetoes());
      }
    });
  }
}
