package io.wharf.scheduler;

import static io.wharf.scheduler.Nodes.res;

import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import io.wharf.model.workload.PlacementStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generators of clusters and demands for invariant tests: small clusters (so rules collide
 * often) with down, draining and ineligible nodes, mixed drivers, zones, kernel versions, taken
 * ports, existing instances; demands with every rule switched on at random.
 */
final class RandomClusters {
  static final List<String> WORKLOADS = List.of("w/a", "w/b", "w/c", "w/d", "w/e", "w/f");
  static final List<Integer> PORTS = List.of(80, 443, 8080);

  private final Random random;

  RandomClusters(long seed) {
    this.random = new Random(seed);
  }

  ClusterSnapshot cluster() {
    int size = 1 + random.nextInt(40);
    List<NodeCandidate> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Map<String, String> labels = new HashMap<>();
      if (random.nextInt(5) > 0) {
        labels.put("zone", List.of("a", "b", "c").get(random.nextInt(3)));
      }
      if (random.nextBoolean()) {
        labels.put("kernel", random.nextInt(3) + 4 + "." + random.nextInt(20));
      }
      Set<String> drivers = new HashSet<>();
      for (String d : List.of("process", "docker", "java")) {
        if (random.nextInt(4) > 0) {
          drivers.add(d);
        }
      }
      long cpu = 500L * (1 + random.nextInt(16));
      long memory = 256L * (1 + random.nextInt(32));
      Set<Integer> ports = new HashSet<>();
      for (int p : PORTS) {
        if (random.nextInt(5) == 0) {
          ports.add(p);
        }
      }
      Map<String, Integer> instances = new HashMap<>();
      for (String w : WORKLOADS) {
        if (random.nextInt(6) == 0) {
          instances.put(w, 1 + random.nextInt(2));
        }
      }
      nodes.add(new NodeCandidate("n" + i, "127.0.0." + (i + 2), random.nextInt(12) > 0, random.nextInt(15) == 0,
          random.nextInt(15) > 0, labels, drivers, res(cpu, memory),
          res(random.nextInt((int) cpu + 1) / 2, random.nextInt((int) memory + 1) / 2), ports, instances));
    }
    return new ClusterSnapshot(nodes);
  }

  /** Conflict pairs among the workloads, declared on one side only (the scheduler gets both). */
  Map<String, Set<String>> declaredConflicts() {
    Map<String, Set<String>> declared = new HashMap<>();
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      String a = WORKLOADS.get(random.nextInt(WORKLOADS.size()));
      String b = WORKLOADS.get(random.nextInt(WORKLOADS.size()));
      if (!a.equals(b)) {
        declared.computeIfAbsent(a, k -> new HashSet<>()).add(b);
      }
    }
    return declared;
  }

  Demand demand(String workload, Map<String, Set<String>> declared) {
    Demand d = Demand.of(workload, res(100L * (1 + random.nextInt(20)), 64L * (1 + random.nextInt(32))));
    Set<String> drivers = new HashSet<>();
    if (random.nextInt(3) > 0) {
      drivers.add(List.of("process", "docker", "java").get(random.nextInt(3)));
    }
    d = d.withDrivers(drivers);
    if (random.nextInt(3) == 0) {
      d = d.withHostPorts(Set.of(PORTS.get(random.nextInt(PORTS.size()))));
    }
    List<Constraint> constraints = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      constraints.add(switch (random.nextInt(5)) {
        case 0 -> new Constraint("node.labels.zone", ConstraintOperator.EQUALS, "a");
        case 1 -> new Constraint("node.labels.zone", ConstraintOperator.NOT_IN, "b");
        case 2 -> new Constraint("node.labels.kernel", ConstraintOperator.VERSION_GE, "5.10");
        case 3 -> new Constraint("node.labels.zone", ConstraintOperator.REGEX, "[ab]");
        default -> new Constraint("node.name", ConstraintOperator.NOT_EQUALS, "n0");
      });
    }
    d = d.withConstraints(constraints);
    switch (random.nextInt(3)) {
      case 0 -> d = d.withStrategy(PlacementStrategy.BINPACK);
      case 1 -> d = d.withStrategy(PlacementStrategy.SPREAD);
      default -> d = d.spreadOver("node.labels.zone");
    }
    d = d.withDistinctNodes(random.nextInt(3) == 0);
    d = d.withConflicts(Demand.conflictsOf(workload, declared));
    if (random.nextInt(8) == 0) {
      d = d.withVolumes(List.of(random.nextBoolean() ? NamedVolume.unheld(workload + "-data")
          : new NamedVolume(workload + "-data", "n" + random.nextInt(5))));
    }
    return d;
  }

  int count() {
    return random.nextInt(30);
  }

  boolean global() {
    return random.nextInt(5) == 0;
  }
}
