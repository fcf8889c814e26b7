package io.wharf.server.controller.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.ResourceRef;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import io.wharf.server.controller.ClusterCache;
import io.wharf.server.fixture.Samples;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeUsageTest {
  private final Random random = new Random(42);
  private final NodeUsage usage = new NodeUsage();
  private final Map<String, Instance> store = new HashMap<>();
  private long revision;

  @Test
  void theIndexEqualsACountFromScratchAfterRandomCreatesUpdatesAndDeletes() {
    for (int step = 0; step < 5_000; step++) {
      int what = random.nextInt(10);
      if (what < 5 || store.isEmpty()) {
        put(randomInstance("i" + random.nextInt(400)));
      } else if (what < 8) {
        Instance old = randomExisting();
        put(new Instance(old.metadata(), old.spec(), randomStatus()));
      } else {
        delete(randomExisting());
      }
      if (step % 250 == 0) {
        assertThat(usage.read(List.of())).isEqualTo(NodeUsage.of(store.values()));
      }
    }
    assertThat(usage.read(List.of())).isEqualTo(NodeUsage.of(store.values()));
    List.copyOf(store.values()).forEach(this::delete);
    assertThat(usage.read(List.of())).isEmpty();
  }

  @Test
  void anOverlayAddsOnlyTheInstancesTheIndexDoesNotCountYet() {
    for (int k = 0; k < 50; k++) {
      put(randomInstance("i" + k));
    }
    List<Instance> overlay = new ArrayList<>(store.values()).subList(0, 10);
    List<Instance> fresh = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      fresh.add(randomInstance("new" + k));
    }
    List<Instance> all = new ArrayList<>(store.values());
    all.addAll(fresh);
    overlay = new ArrayList<>(overlay);
    overlay.addAll(fresh);

    assertThat(usage.read(overlay)).isEqualTo(NodeUsage.of(all));
    assertThat(usage.read(List.of())).isEqualTo(NodeUsage.of(store.values()));
  }

  @Test
  void portsOfEveryInstanceResourcesOfLiveOnesAndCountsOfThoseNotLostAreCounted() {
    put(instance("a", "n1", "web", Map.of("http", 20000), InstanceStatus.EMPTY, 100));
    put(instance("b", "n1", "web", Map.of("http", 20001), status(InstanceState.COMPLETED, null), 100));
    put(instance("c", "n1", "api", Map.of("http", 20002), status(InstanceState.FAILED, ServiceController.NODE_DOWN),
        100));

    NodeUsage.View n1 = usage.read(List.of()).get("n1");

    assertThat(n1.ports()).containsExactlyInAnyOrder(20000, 20001, 20002);
    assertThat(n1.used()).isEqualTo(new ComputeResources(new Cpu(100), ByteSize.ofMebibytes(64)));
    assertThat(n1.workloads()).isEqualTo(Map.of("shop/web", 2));
  }

  @Test
  void anEndedJobInstanceFreesItsPortsAndResourcesWhileARunningOneHoldsThem() {
    put(job("j1", Map.of("http", 18080), status(InstanceState.RUNNING, null)));
    assertThat(usage.read(List.of()).get("n1").ports()).containsExactly(18080);
    assertThat(usage.read(List.of()).get("n1").workloads()).isEqualTo(Map.of("shop/report", 1));

    put(job("j1", Map.of("http", 18080), status(InstanceState.FAILED, "exited with code 3")));
    put(job("j2", Map.of("http", 18081), status(InstanceState.COMPLETED, "exited with code 0")));

    NodeUsage.View n1 = usage.read(List.of()).get("n1");
    assertThat(n1.ports()).isEmpty();
    assertThat(n1.used()).isEqualTo(ComputeResources.NONE);
    assertThat(n1.workloads()).isEmpty();
    assertThat(usage.read(List.of())).isEqualTo(NodeUsage.of(store.values()));
  }

  private static Instance job(String name, Map<String, Integer> ports, InstanceStatus status) {
    Instance i = instance(name, "n1", "report", ports, status, 100);
    return new Instance(i.metadata(), new InstanceSpec(new ResourceRef(Kind.JOB, "shop", "report"), 1, "n1",
        i.spec().tasks(), ports), status);
  }

  private Instance randomExisting() {
    List<Instance> all = new ArrayList<>(store.values());
    return all.get(random.nextInt(all.size()));
  }

  private Instance randomInstance(String name) {
    Map<String, Integer> ports = new HashMap<>();
    for (int p = 0; p < random.nextInt(3); p++) {
      ports.put("p" + p, 20000 + random.nextInt(20)); // collisions on purpose: ports are counted per holder
    }
    Instance i = instance(name, "n" + random.nextInt(8), "svc" + random.nextInt(4), ports, randomStatus(),
        1 + random.nextInt(500));
    if (random.nextInt(3) > 0) {
      return i;
    }
    // a job's instance: once ended it holds neither ports nor resources
    return new Instance(i.metadata(), new InstanceSpec(new ResourceRef(Kind.JOB, "shop", "job" + random.nextInt(3)), 1,
        i.spec().node(), i.spec().tasks(), i.spec().assignedPorts()), i.status());
  }

  private InstanceStatus randomStatus() {
    return switch (random.nextInt(5)) {
      case 0 -> InstanceStatus.EMPTY;
      case 1 -> status(InstanceState.RUNNING, null);
      case 2 -> status(InstanceState.FAILED, ServiceController.NODE_DOWN);
      case 3 -> status(InstanceState.STOPPED, "stopped");
      default -> status(InstanceState.COMPLETED, "exited with code 0");
    };
  }

  private static InstanceStatus status(InstanceState state, String reason) {
    return new InstanceStatus(state, null, 0, null, reason, null, null, null);
  }

  private static Instance instance(String name, String node, String service, Map<String, Integer> ports,
      InstanceStatus status, long millicores) {
    var task = Samples.task().withResources(new ComputeResources(new Cpu(millicores), ByteSize.ofMebibytes(64)));
    return new Instance(Metadata.of(name, "shop"),
        new InstanceSpec(new ResourceRef(Kind.SERVICE, "shop", service), 1, node, List.of(task), ports), status);
  }

  private void put(Instance i) {
    String key = key(i);
    Instance before = store.put(key, i);
    usage.apply(new ClusterCache.Change(key, before == null ? null : entry(key, before), entry(key, i)));
  }

  private void delete(Instance i) {
    String key = key(i);
    store.remove(key);
    usage.apply(new ClusterCache.Change(key, entry(key, i), null));
  }

  private ClusterCache.Entry entry(String key, Instance i) {
    revision++;
    return new ClusterCache.Entry(new KeyValue(key, new byte[0], 1, revision, 1, LeaseId.NONE), i);
  }

  private static String key(Instance i) {
    return ResourceKeys.key(ResourceType.INSTANCE, i.metadata().namespace(), i.metadata().name());
  }
}
