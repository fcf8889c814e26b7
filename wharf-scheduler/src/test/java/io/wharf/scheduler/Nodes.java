package io.wharf.scheduler;

import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Test fixtures: nodes with 4 cores and 4Gi, ready, eligible, the process and java drivers, zone a. */
final class Nodes {
  private Nodes() {}

  static ComputeResources res(long millicores, long mebibytes) {
    return new ComputeResources(new Cpu(millicores), ByteSize.ofMebibytes(mebibytes));
  }

  static Builder node(String name) {
    return new Builder(name);
  }

  static final class Builder {
    private final String name;
    private String address;
    private boolean ready = true;
    private boolean draining;
    private boolean eligible = true;
    private Map<String, String> labels = new HashMap<>(Map.of("zone", "a"));
    private Set<String> drivers = Set.of("process", "java");
    private ComputeResources allocatable = res(4000, 4096);
    private ComputeResources used = res(0, 0);
    private Set<Integer> ports = Set.of();
    private final Map<String, Integer> instances = new HashMap<>();

    Builder(String name) {
      this.name = name;
      this.address = "127.0.0." + (Math.abs(name.hashCode()) % 200 + 2);
    }

    Builder address(String a) { this.address = a; return this; }
    Builder down() { this.ready = false; return this; }
    Builder draining() { this.draining = true; return this; }
    Builder ineligible() { this.eligible = false; return this; }
    Builder labels(Map<String, String> l) { this.labels = new HashMap<>(l); return this; }
    Builder label(String k, String v) { this.labels.put(k, v); return this; }
    Builder drivers(String... d) { this.drivers = Set.of(d); return this; }
    Builder allocatable(long millicores, long mebibytes) { this.allocatable = res(millicores, mebibytes); return this; }
    Builder used(long millicores, long mebibytes) { this.used = res(millicores, mebibytes); return this; }
    Builder ports(Integer... p) { this.ports = Set.of(p); return this; }
    Builder runs(String workload, int count) { this.instances.put(workload, count); return this; }

    NodeCandidate build() {
      return new NodeCandidate(name, address, ready, draining, eligible, labels, drivers, allocatable, used, ports,
          instances);
    }

    @Override public String toString() { return name; }
  }

  static ClusterSnapshot cluster(Builder... nodes) {
    return new ClusterSnapshot(java.util.Arrays.stream(nodes).map(Builder::build).toList());
  }
}
