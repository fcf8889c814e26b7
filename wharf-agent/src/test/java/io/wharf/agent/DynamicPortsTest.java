package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Metadata;
import io.wharf.model.Service;
import io.wharf.model.cluster.DynamicPorts;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.auth.TestTokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dynamic host port that something else holds on the node is never where an instance ends up:
 * the agent reports the ports in use in the dynamic range ({@code status.portsInUse}) and the
 * scheduler skips them; a port taken after the last report makes the agent refuse the instance
 * ({@code rejected}) and the controller place it again on another port. Real control plane,
 * real agent, a real listening socket and a real task that binds its port.
 */
class DynamicPortsTest {
    @TempDir Path dir;

    private EmbeddedStore store;
    private ControlPlane server;
    private WharfClient client;
    private NodeAgent agent;
    private final List<ServerSocket> held = new ArrayList<>();
    private final String marker = "wharf-test-" + UUID.randomUUID();

    @AfterEach
    void stop() throws IOException {
        if (agent != null) agent.close();
        if (client != null) client.close();
        if (server != null) server.close();
        if (store != null) store.close();
        for (ServerSocket s : held) s.close();
        Workloads.pidsWith(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void aPortHeldBeforeTheNodeRegistersIsReportedAndNeverHandedOut() throws IOException {
        int taken = holdFirstFreeDynamicPort(Set.of());
        start(AgentSettings.DEFAULT_HEARTBEAT);
        await().atMost(Duration.ofSeconds(20)).until(() -> portsInUse().contains(taken));

        new ResourceClient(client).put(listener("web"));

        JsonNode running = awaitListening("web");
        assertThat(port(running)).isNotEqualTo(taken).isBetween(DynamicPorts.FIRST, DynamicPorts.LAST);
    }

    @Test
    void aPortTakenAfterTheLastReportMakesTheAgentRefuseTheInstanceAndItIsPlacedAgainOnAnotherPort()
            throws IOException {
        // Heartbeats (and so the agent's own scans) far apart: only the refusal can tell the scheduler.
        start(Duration.ofMinutes(10));
        Set<Integer> reported = Set.copyOf(portsInUse());
        int next = holdFirstFreeDynamicPort(reported); // the port the scheduler hands out next on this node

        new ResourceClient(client).put(listener("api"));

        JsonNode running = awaitListening("api");
        assertThat(port(running)).isNotEqualTo(next);
        assertThat(portsInUse()).contains(next);
        List<String> refusals = new ArrayList<>();
        client.listAll("events", ListOptions.inNamespace("default")).forEach(e -> {
            if (e.path("spec").path("reason").asText().equals("InstanceRejected")) {
                refusals.add(e.path("spec").path("message").asText());
            }
        });
        assertThat(refusals).containsExactly("port http (127.0.0.1:" + next + ") is already in use on node node-p");
    }

    private void start(Duration heartbeat) {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(TestTokens.ADMIN),
                store, ControlPlane.Tuning.DEFAULTS.withNodeTtl(heartbeat.multipliedBy(3)));
        client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(TestTokens.ADMIN));
        agent = NodeAgent.start(new AgentSettings(server.apiAddress(), "node-p", null, dir.resolve("agent"), null, 0,
                Map.of(), heartbeat, null, true).withToken(TestTokens.ADMIN));
        await().atMost(Duration.ofSeconds(20)).until(agent::ready);
    }

    /**
     * Binds the lowest port of the dynamic range that is not in {@code skip} and can be bound on
     * 127.0.0.1 (ports held by others on this machine are skipped: they are reported too).
     */
    private int holdFirstFreeDynamicPort(Set<Integer> skip) throws IOException {
        for (int p = DynamicPorts.FIRST; p <= DynamicPorts.LAST; p++) {
            if (skip.contains(p)) continue;
            var socket = new ServerSocket();
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                held.add(socket);
                return p;
            } catch (IOException inUse) {
                socket.close();
            }
        }
        throw new IllegalStateException("no free port in the dynamic range");
    }

    private Service listener(String name) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        var task = TaskSpec.main("main", new ProcessDriver(List.of(java, "-cp", testClasses(), PortListener.class.getName(),
                marker), List.of(), null)).withPorts(List.of(PortSpec.tcp("http", 0)));
        return new Service(Metadata.of(name, "default"), ServiceSpec.of(1, task));
    }

    private static String testClasses() {
        try {
            return Path.of(PortListener.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service's one instance once it runs and its task printed that it listens on its assigned port. */
    private JsonNode awaitListening(String service) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<JsonNode> all = instances(service);
            assertThat(all).hasSize(1);
            JsonNode i = all.getFirst();
            assertThat(i.path("status").path("state").asText()).isEqualTo("running");
            String task = "default." + i.path("metadata").path("name").asText();
            assertThat(agent.logs().reader(new io.wharf.agent.driver.TaskId(task, "main"))
                    .read(io.wharf.agent.logs.LogStream.STDOUT, null))
                    .extracting(io.wharf.agent.logs.LogLine::text).contains("listening on " + port(i));
        });
        return instances(service).getFirst();
    }

    private List<JsonNode> instances(String service) {
        return client.listAll("instances", ListOptions.inNamespace("default")).stream()
                .filter(i -> i.path("spec").path("owner").path("name").asText().equals(service)).toList();
    }

    private static int port(JsonNode instance) {
        return instance.path("spec").path("assignedPorts").path("http").asInt();
    }

    private List<Integer> portsInUse() {
        List<Integer> out = new ArrayList<>();
        client.get("nodes", null, "node-p").path("status").path("portsInUse").forEach(p -> out.add(p.asInt()));
        return out;
    }
}
