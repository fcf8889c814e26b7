package io.wharf.dns.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.dns.records.DnsRecords;
import io.wharf.dns.records.Endpoint;
import io.wharf.dns.records.EndpointPort;
import io.wharf.dns.records.ServiceEndpoints;
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
import io.wharf.model.cluster.NodeState;
import io.wharf.model.cluster.NodeStatus;
import io.wharf.model.task.HealthSpec;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.Probe;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.Protocol;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadyEndpointsTest {

  private static final TaskSpec TASK = TaskSpec.main("main", new ProcessDriver(List.of("true"), List.of(), null))
      .withPorts(List.of(PortSpec.tcp("http", 0), new PortSpec("dns", 53, Protocol.UDP, null, 0)));
  private static final TaskSpec CHECKED = TASK.withHealth(new HealthSpec(null, Probe.http("/", "http")));

  static Service service(String name) {
    return new Service(Metadata.of(name, "default"), ServiceSpec.of(1, TASK));
  }

  static Node node(String name, String address, NodeState state) {
    return new Node(Metadata.of(name, null), NodeSpec.DEFAULT,
        new NodeStatus(address, null, null, List.of(), Map.of(), state, null, null));
  }

  static Instance instance(String name, String service, String node, TaskSpec task, InstanceState state, Health health) {
    return new Instance(Metadata.of(name, "default"),
        new InstanceSpec(new ResourceRef(Kind.SERVICE, "default", service), 1, node, List.of(task), Map.of("http", 31000, "dns", 53)),
        new InstanceStatus(state, health, 0, null, null, null, null, null));
  }

  @Test
  void onlyRunningReadyInstancesWithAnIpAddressAreEndpointsWithTheirTasksPortProtocols() {
    DnsRecords records = ReadyEndpoints.build(12, List.of(service("web")), List.of(
        instance("web-1", "web", "a", TASK, InstanceState.RUNNING, Health.UNKNOWN), // no check: ready when running
        instance("web-2", "web", "a", CHECKED, InstanceState.RUNNING, Health.UNKNOWN), // check not passed yet
        instance("web-3", "web", "b", CHECKED, InstanceState.RUNNING, Health.HEALTHY),
        instance("web-4", "web", "a", TASK, InstanceState.RUNNING, Health.UNHEALTHY),
        instance("web-5", "web", "a", TASK, InstanceState.STARTING, Health.UNKNOWN),
        instance("web-6", "web", "a", TASK, InstanceState.FAILED, Health.HEALTHY), // e.g. lost with its node
        instance("web-7", "web", "unknown-node", TASK, InstanceState.RUNNING, Health.HEALTHY),
        instance("web-8", "web", "named", TASK, InstanceState.RUNNING, Health.HEALTHY)), List.of(
        node("a", "127.0.0.2", NodeState.READY), node("b", "::1", NodeState.DRAINING),
        node("named", "host.example", NodeState.READY)), List.of());

    List<EndpointPort> ports = List.of(new EndpointPort("dns", 53, "udp"), EndpointPort.tcp("http", 31000));
    assertThat(records).isEqualTo(new DnsRecords(12, List.of(new ServiceEndpoints("default", "web", List.of(
        new Endpoint("web-1", ReadyEndpoints.ipLiteral("127.0.0.2").orElseThrow(), ports),
        new Endpoint("web-3", ReadyEndpoints.ipLiteral("::1").orElseThrow(), ports))))));
  }

  @Test
  void externalEndpointsAreAddressesOfTheirServiceUnderTheirOwnName() {
    var db = new io.wharf.model.Endpoint(Metadata.of("db-vm", "default"),
        new io.wharf.model.discovery.EndpointSpec("db", "10.9.8.7", Map.of("pg", 5432)));
    var named = new io.wharf.model.Endpoint(Metadata.of("db-dns", "default"),
        new io.wharf.model.discovery.EndpointSpec("db", "db.example", Map.of("pg", 5432)));

    DnsRecords records = ReadyEndpoints.build(3, List.of(), List.of(), List.of(), List.of(db, named));

    assertThat(records.services()).containsExactly(new ServiceEndpoints("default", "db", List.of(
        new Endpoint("db-vm", ReadyEndpoints.ipLiteral("10.9.8.7").orElseThrow(), List.of(EndpointPort.tcp("pg", 5432))))));
  }

  @Test
  void aServiceWithoutReadyInstancesIsStillListed() {
    DnsRecords records = ReadyEndpoints.build(1, List.of(service("idle")), List.of(), List.of(), List.of());
    assertThat(records.services()).containsExactly(new ServiceEndpoints("default", "idle", List.of()));
  }

  @Test
  void onlyIpLiteralsAreAddressesNeverLookedUp() {
    assertThat(ReadyEndpoints.ipLiteral("10.1.2.3")).isPresent();
    assertThat(ReadyEndpoints.ipLiteral("fe80::1")).isPresent();
    assertThat(ReadyEndpoints.ipLiteral("localhost")).isEmpty();
    assertThat(ReadyEndpoints.ipLiteral("999.1.1.1")).as("not a literal, so never handed to a resolver").isEmpty();
    assertThat(ReadyEndpoints.ipLiteral("")).isEmpty();
    assertThat(ReadyEndpoints.ipLiteral(null)).isEmpty();
  }
}
