package io.wharf.model.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Endpoint;
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
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.task.HealthSpec;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.Probe;
import io.wharf.model.task.ProbeType;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoveryTest {

    static final TaskSpec PLAIN = TaskSpec.main("web", new ProcessDriver(List.of("/bin/web"), List.of(), null));
    static final TaskSpec CHECKED = PLAIN.withHealth(new HealthSpec(null, new Probe(ProbeType.HTTP, "/ready", "http",
            List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, 1, 1)));

    static Service service(String ns, String name) {
        return new Service(new Metadata(name, ns, Map.of(), 1, null, null), ServiceSpec.of(1, PLAIN));
    }

    static Instance instance(String name, Kind ownerKind, String owner, String node, TaskSpec task, InstanceState state,
                             Health health, String address, Map<String, Integer> ports) {
        return new Instance(new Metadata(name, "shop", Map.of(), 1, null, null),
                new InstanceSpec(new ResourceRef(ownerKind, "shop", owner), 1, node, List.of(task), ports),
                new InstanceStatus(state, health, 0, null, null, address, null, null));
    }

    static Node node(String name, String address) {
        return new Node(Metadata.cluster(name), NodeSpec.DEFAULT, new NodeStatus(address, ComputeResources.NONE,
                ComputeResources.NONE, List.of("process"), Map.of(), NodeState.READY, null, null));
    }

    @Test
    void readinessNeedsRunningAndHealthyWhenThereIsACheck() {
        Map<String, Integer> ports = Map.of("http", 8080);
        assertThat(Discovery.ready(instance("a", Kind.SERVICE, "web", "n1", PLAIN, InstanceState.RUNNING, Health.UNKNOWN, null, ports)))
                .as("no readiness check: running is ready").isTrue();
        assertThat(Discovery.ready(instance("a", Kind.SERVICE, "web", "n1", PLAIN, InstanceState.RUNNING, Health.UNHEALTHY, null, ports)))
                .as("reported unhealthy without a readiness check").isFalse();
        assertThat(Discovery.ready(instance("a", Kind.SERVICE, "web", "n1", CHECKED, InstanceState.RUNNING, Health.UNKNOWN, null, ports)))
                .as("a readiness check that has not passed yet").isFalse();
        assertThat(Discovery.ready(instance("a", Kind.SERVICE, "web", "n1", CHECKED, InstanceState.RUNNING, Health.HEALTHY, null, ports)))
                .isTrue();
        assertThat(Discovery.ready(instance("a", Kind.SERVICE, "web", "n1", CHECKED, InstanceState.STARTING, Health.HEALTHY, null, ports)))
                .as("not running yet").isFalse();
    }

    @Test
    void theViewHoldsReadyInstancesAndExternalEndpointsPerService() {
        List<Instance> instances = List.of(
                instance("web-2", Kind.SERVICE, "web", "n2", CHECKED, InstanceState.RUNNING, Health.HEALTHY, null, Map.of("http", 31002)),
                instance("web-1", Kind.SERVICE, "web", "n1", CHECKED, InstanceState.RUNNING, Health.HEALTHY, "127.0.0.9",
                        Map.of("http", 31001)),
                instance("web-3", Kind.SERVICE, "web", "n1", CHECKED, InstanceState.RUNNING, Health.UNHEALTHY, null, Map.of("http", 31003)),
                instance("web-4", Kind.SERVICE, "web", "gone", PLAIN, InstanceState.RUNNING, Health.UNKNOWN, null, Map.of("http", 31004)),
                instance("report-1", Kind.JOB, "report", "n1", PLAIN, InstanceState.RUNNING, Health.UNKNOWN, null, Map.of()));
        List<Endpoint> external = List.of(new Endpoint(new Metadata("db-vm1", "shop", Map.of(), 1, null, null),
                new EndpointSpec("db", "10.0.0.5", Map.of("postgres", 5432))));

        var view = Discovery.derive(List.of(service("shop", "web"), service("shop", "idle")), instances,
                List.of(node("n1", "127.0.0.1"), node("n2", "127.0.0.2")), external);

        assertThat(view.keySet()).containsExactly(new Discovery.ServiceKey("shop", "db"),
                new Discovery.ServiceKey("shop", "idle"), new Discovery.ServiceKey("shop", "web"));
        assertThat(view.get(new Discovery.ServiceKey("shop", "web")).endpoints()).as(
                "web-1 at its own address, web-2 at its node's; web-3 unready, web-4 on a node with no address")
                .containsExactly(
                        new EndpointAddress("127.0.0.2", Map.of("http", 31002), EndpointAddress.Source.INSTANCE, "web-2", "n2"),
                        new EndpointAddress("127.0.0.9", Map.of("http", 31001), EndpointAddress.Source.INSTANCE, "web-1", "n1"));
        assertThat(view.get(new Discovery.ServiceKey("shop", "idle")).endpoints()).as("exists, nothing ready").isEmpty();
        assertThat(view.get(new Discovery.ServiceKey("shop", "db")).endpoints()).containsExactly(
                new EndpointAddress("10.0.0.5", Map.of("postgres", 5432), EndpointAddress.Source.EXTERNAL, "db-vm1", null));
        assertThat(view.get(new Discovery.ServiceKey("shop", "web")).withPort("metrics")).isEmpty();
    }

    @Test
    void badEndpointsNameTheFieldAndTheReason() {
        String yaml = """
                kind: Endpoint
                metadata: {name: db-vm1, namespace: shop}
                spec:
                  service: DB
                  address: db.example.com
                  ports: {postgres: 70000, Bad_Name: 5432, ok: "x"}
                """;
        var decoded = ResourceCodec.fromYaml(null, yaml);
        assertThat(decoded.ok()).isFalse();
        assertThat(decoded.problems().stream().map(Object::toString)).containsExactlyInAnyOrder(
                "spec.service: invalid name \"DB\": use lowercase letters, digits and '-', start with a letter, end with a letter or digit",
                "spec.address: must be an IPv4 or IPv6 address such as 10.0.0.5, got \"db.example.com\"",
                "spec.ports.postgres: must be <= 65535",
                "spec.ports.Bad_Name: port name: invalid name \"Bad_Name\": use lowercase letters, digits and '-', start with a letter, end with a letter or digit",
                "spec.ports.ok: must be an integer, got string \"x\"");
    }

    @Test
    void addressesAreLiteralsNeverNames() {
        assertThat(io.wharf.model.schema.DiscoverySchema.isIpLiteral("10.0.0.5")).isTrue();
        assertThat(io.wharf.model.schema.DiscoverySchema.isIpLiteral("::1")).isTrue();
        assertThat(io.wharf.model.schema.DiscoverySchema.isIpLiteral("fd00::5:1")).isTrue();
        assertThat(io.wharf.model.schema.DiscoverySchema.isIpLiteral("256.0.0.1")).isFalse();
        assertThat(io.wharf.model.schema.DiscoverySchema.isIpLiteral("10.0.0")).isFalse();
        assertThat(io.wharf.model.schema.DiscoverySchema.isIpLiteral("localhost")).isFalse();
        assertThat(io.wharf.model.schema.DiscoverySchema.isIpLiteral("::g")).isFalse();
    }

    @Test
    void aStackFileDeclaresExternalEndpoints() {
        var d = io.wharf.model.stack.StackFile.parse("""
                stack: shop
                namespace: shop
                endpoints:
                  db-vm1: {service: db, address: 10.0.0.5, ports: {postgres: 5432}}
                """, "shop.yaml");
        assertThat(d.ok()).as(String.valueOf(d.problems())).isTrue();
        Endpoint e = (Endpoint) d.value().resources().stream().filter(r -> r.kind() == Kind.ENDPOINT).findFirst().orElseThrow();
        assertThat(e.metadata().namespace()).isEqualTo("shop");
        assertThat(e.spec()).isEqualTo(new EndpointSpec("db", "10.0.0.5", Map.of("postgres", 5432)));

        var bad = io.wharf.model.stack.StackFile.parse("""
                stack: shop
                endpoints:
                  db-vm1: {service: db}
                """, "shop.yaml");
        assertThat(bad.problems().stream().map(Object::toString)).containsExactly("endpoints.db-vm1.address: is required");
    }
}
