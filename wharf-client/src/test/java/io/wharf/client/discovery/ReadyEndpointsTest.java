package io.wharf.client.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.Node;
import io.wharf.model.ResourceRef;
import io.wharf.model.Service;
import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.cluster.NodeSpec;
import io.wharf.model.cluster.NodeStatus;
import io.wharf.model.task.HealthSpec;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.Probe;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadyEndpointsTest {
  private static final TaskSpec PLAIN = TaskSpec.main("web", new ProcessDriver(List.of("web"), List.of(), null))
      .withPorts(List.of(PortSpec.tcp("http", 8080), PortSpec.tcp("admin", 9090)));
  private static final TaskSpec CHECKED = PLAIN.withHealth(new HealthSpec(null, Probe.http("/healthz", "http")));

  private static Instance instance(String name, String owner, Kind kind, String node, TaskSpec task,
      InstanceState state, Health health) {
    return new Instance(Metadata.of(name, "shop"), new InstanceSpec(new ResourceRef(kind, "shop", owner), 1, node,
        List.of(task), Map.of("http", 31000 + name.length(), "admin", 32000 + name.length())),
        new InstanceStatus(state, health, 0, null, null, null, null, null));
  }

  private static Node node(String name, String address) {
    NodeStatus s = new NodeStatus(address, null, null, List.of(), Map.of(), null, null, null);
    return new Node(Metadata.cluster(name), NodeSpec.DEFAULT, s);
  }

  @Test
  void onlyReadyServiceInstancesOnNodesWithAnAddressAreEndpoints() {
    List<Instance> instances = List.of(
        instance("a", "web", Kind.SERVICE, "n1", PLAIN, InstanceState.RUNNING, Health.UNKNOWN),
        instance("bb", "web", Kind.SERVICE, "n2", CHECKED, InstanceState.RUNNING, Health.HEALTHY),
        instance("ccc", "web", Kind.SERVICE, "n1", CHECKED, InstanceState.RUNNING, Health.UNKNOWN),
        instance("dddd", "web", Kind.SERVICE, "n1", PLAIN, InstanceState.RUNNING, Health.UNHEALTHY),
        instance("eeeee", "web", Kind.SERVICE, "n1", PLAIN, InstanceState.STARTING, Health.UNKNOWN),
        instance("ffffff", "web", Kind.SERVICE, "n3", PLAIN, InstanceState.RUNNING, Health.HEALTHY),
        instance("ggggggg", "seed", Kind.JOB, "n1", PLAIN, InstanceState.RUNNING, Health.HEALTHY));
    var endpoints = ReadyEndpoints.of(instances, List.of(node("n1", "10.0.0.1"), node("n2", "10.0.0.2"),
        node("n3", null)));
    assertThat(endpoints.keySet()).containsExactlyInAnyOrder(new ServicePort("shop", "web", "http"),
        new ServicePort("shop", "web", "admin"));
    assertThat(endpoints.get(new ServicePort("shop", "web", "http"))).containsExactly(
        new Endpoint("10.0.0.1", 31001, "a"), new Endpoint("10.0.0.2", 31002, "bb"));
    assertThat(endpoints.get(new ServicePort("shop", "web", "admin"))).extracting(Endpoint::port)
        .containsExactly(32001, 32002);
  }

  @Test
  void backendPortIsANameANumberOrTheOnlyPort() {
    Service two = new Service(Metadata.of("web", "shop"), ServiceSpec.of(1, PLAIN), null);
    Service one = new Service(Metadata.of("api", "shop"), ServiceSpec.of(1,
        PLAIN.withPorts(List.of(PortSpec.tcp("grpc", 7000)))), null);
    assertThat(ReadyEndpoints.portName(two, "admin")).contains("admin");
    assertThat(ReadyEndpoints.portName(two, "8080")).contains("http");
    assertThat(ReadyEndpoints.portName(two, null)).isEmpty();
    assertThat(ReadyEndpoints.portName(two, "nope")).isEmpty();
    assertThat(ReadyEndpoints.portName(two, "1234")).isEmpty();
    assertThat(ReadyEndpoints.portName(one, null)).contains("grpc");
  }
}
