package io.wharf.bench.scheduler;

import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import io.wharf.model.workload.PlacementStrategy;
import io.wharf.scheduler.ClusterSnapshot;
import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A seeded, realistic-looking fleet and service mix. Nodes: 6 zones, 40 racks per zone; 60% 8
 * cores / 32Gi, 30% 16 / 64Gi, 10% 4 / 16Gi (minus a 5% agent reserve); os, kernel (5.4 … 6.8),
 * disk ssd/hdd, 5% gpu; all have process and java, 90% docker; 1% down, 0.5% draining, 0.5%
 * ineligible; empty at the start. Services: resources 50m–500m cpu, 64Mi–512Mi memory; 50%
 * bin-pack, 25% spread over nodes, 25% spread over zones; 30% carry a constraint (a tenth of them
 * gpu exists, the rest evenly zone in two zones, disk == ssd, kernel >= 5.15); 10% distinct nodes; 5% a fixed host port;
 * 5% conflict with another service.
 */
final class SimulatedCluster {
  static final List<String> ZONES = List.of("eu-1a", "eu-1b", "eu-1c", "us-1a", "us-1b", "us-1c");

  private SimulatedCluster() {}

  static ClusterSnapshot nodes(int count, long seed) {
    Random random = new Random(seed);
    List<NodeCandidate> nodes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int kind = random.nextInt(10);
      long cores = kind < 6 ? 8 : kind < 9 ? 16 : 4;
      long gib = cores * 4;
      String zone = ZONES.get(i % ZONES.size());
      Map<String, String> labels = new HashMap<>();
      labels.put("zone", zone);
      labels.put("rack", zone + "-r" + random.nextInt(40));
      labels.put("os", "linux");
      labels.put("kernel", List.of("5.4", "5.10", "5.15", "6.1", "6.8").get(random.nextInt(5)) + "." + random.nextInt(200));
      labels.put("disk", random.nextInt(3) == 0 ? "hdd" : "ssd");
      labels.put("instance-type", "m" + cores);
      if (random.nextInt(20) == 0) {
        labels.put("gpu", "nvidia");
      }
      Set<String> drivers = new HashSet<>(Set.of("process", "java"));
      if (random.nextInt(10) > 0) {
        drivers.add("docker");
      }
      int state = random.nextInt(200);
      ComputeResources allocatable = new ComputeResources(new Cpu(cores * 950), ByteSize.ofMebibytes(gib * 1024 * 95 / 100));
      nodes.add(new NodeCandidate(String.format("node-%05d", i), "10.%d.%d.%d".formatted(i >> 16, (i >> 8) & 255, i & 255),
          state >= 2, state == 2, state != 3, labels, drivers, allocatable, ComputeResources.NONE, Set.of(), Map.of()));
    }
    return new ClusterSnapshot(nodes);
  }

  /** {@code count} services named {@code bench/svc-N}, each a demand for its instances. */
  static List<Demand> services(int count, long seed) {
    Random random = new Random(seed);
    List<Demand> services = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = "bench/svc-" + i;
      Demand d = Demand.of(name, new ComputeResources(new Cpu(50L * (1 + random.nextInt(10))),
          ByteSize.ofMebibytes(64L * (1 + random.nextInt(8)))));
      d = d.withDrivers(Set.of(random.nextInt(2) == 0 ? "docker" : "process"));
      int strategy = random.nextInt(4);
      d = strategy < 2 ? d : strategy == 2 ? d.withStrategy(PlacementStrategy.SPREAD) : d.spreadOver("node.labels.zone");
      if (random.nextInt(10) < 3) {
        d = d.withConstraints(List.of(switch (random.nextInt(10) == 0 ? 3 : random.nextInt(3)) {
          case 0 -> new Constraint("node.labels.zone", ConstraintOperator.IN,
              ZONES.get(random.nextInt(3)) + "," + ZONES.get(3 + random.nextInt(3)));
          case 1 -> new Constraint("node.labels.disk", ConstraintOperator.EQUALS, "ssd");
          case 2 -> new Constraint("node.labels.kernel", ConstraintOperator.VERSION_GE, "5.15");
          default -> new Constraint("node.labels.gpu", ConstraintOperator.EXISTS, null);
        }));
      }
      if (random.nextInt(10) == 0) {
        d = d.withDistinctNodes(true);
      }
      if (random.nextInt(20) == 0) {
        d = d.withHostPorts(Set.of(9000 + i));
      }
      if (i > 0 && random.nextInt(20) == 0) {
        d = d.withConflicts(Set.of("bench/svc-" + random.nextInt(i)));
      }
      services.add(d);
    }
    return services;
  }
}
