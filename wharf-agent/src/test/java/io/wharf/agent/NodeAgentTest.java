package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.AgentApi;
import io.wharf.client.ClientSettings;
import io.wharf.client.ExecOutcome;
import io.wharf.client.LogLines;
import io.wharf.client.LogQuery;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Kind;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NodeAgent against a real control plane on an embedded store, running real processes. */
class NodeAgentTest {
    @TempDir Path dir;

    private EmbeddedStore store;
    private ControlPlane server;
    private WharfClient client;
    private ResourceClient resources;
    private NodeAgent agent;
    private final String marker = "wharf-test-" + UUID.randomUUID();

    @BeforeEach
    void start() {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded"), store);
        client = new WharfClient(ClientSettings.of(server.apiAddress().toString()));
        resources = new ResourceClient(client);
        agent = NodeAgent.start(AgentSettings.of(server.apiAddress(), "node-a", dir.resolve("agent"))
                .withLabels(Map.of("zone", "a")).stoppingWorkloadsOnClose());
        await().atMost(Duration.ofSeconds(20)).until(agent::ready);
    }

    @AfterEach
    void stop() {
        if (agent != null) agent.close();
        client.close();
        server.close();
        store.close();
    }

    @Test
    void registersItsNodeWithDriversLabelsAndEndpoint() {
        JsonNode node = client.get("nodes", null, "node-a");
        assertThat(node.path("status").path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(node.path("status").path("agentAddress").asText()).isEqualTo(agent.endpoint().toString());
        assertThat(node.path("status").path("labels").path("zone").asText()).isEqualTo("a");
        List<String> drivers = new ArrayList<>();
        node.path("status").path("drivers").forEach(d -> drivers.add(d.asText()));
        assertThat(drivers).contains("process", "java");
        assertThat(node.path("status").path("capacity").path("cpu").asText()).isNotEmpty();
    }

    @Test
    void twoInstancesRunAsProcessesAndAreReportedRunning() {
        for (String name : List.of("web-1", "web-2")) {
            resources.put(Workloads.shell(name, "web", "node-a", "echo started; while :; do sleep 1; done # " + marker,
                    Map.of()));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(state("web-1")).isEqualTo("running");
            assertThat(state("web-2")).isEqualTo("running");
        });
        assertThat(Workloads.pidsWith(marker)).hasSize(2);
        JsonNode status = client.get("instances", "default", "web-1").path("status");
        assertThat(status.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(status.path("restarts").asInt()).isZero();
    }

    @Test
    void aCrashedTaskIsRestartedWithBackoffAndItsRestartsCounted() {
        resources.put(Workloads.shell("crashy-1", "crashy", "node-a", "echo up; sleep 0.2; exit 3 # " + marker, Map.of()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(client.get("instances", "default", "crashy-1").path("status").path("restarts").asInt())
                        .isGreaterThanOrEqualTo(2));
    }

    @Test
    void aDeletedInstanceHasItsProcessStopped() {
        resources.put(Workloads.shell("gone-1", "gone", "node-a", "while :; do sleep 1; done # " + marker, Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> Workloads.pidsWith(marker).size() == 1);
        long pid = Workloads.pidsWith(marker).getFirst();

        resources.delete(Kind.INSTANCE, "default", "gone-1", 0);

        await().atMost(Duration.ofSeconds(20)).until(() -> !Workloads.alive(pid));
        assertThat(Workloads.pidsWith(marker)).isEmpty();
        await().until(() -> agent.instances().isEmpty());
    }

    @Test
    void logsAndExecReachTheTaskThroughTheServer() {
        resources.put(Workloads.shell("talk-1", "talk", "node-a",
                "echo hello from $WHARF_INSTANCE_NAME on port $PORT; while :; do sleep 1; done # " + marker,
                Map.of("http", 18999)));
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(state("talk-1")));
        var api = new AgentApi(client);

        await().untilAsserted(() -> {
            try (LogLines lines = api.logs("default", "talk-1", LogQuery.ALL)) {
                assertThat(lines.next()).isEqualTo("hello from talk-1 on port 18999");
            }
        });

        ExecOutcome outcome = api.exec("default", "talk-1", null, List.of("sh", "-c", "echo $WHARF_PORT_HTTP; exit 7"));
        assertThat(outcome.exitCode()).isEqualTo(7);
        assertThat(outcome.output()).isEqualTo("18999\n");
    }

    private String state(String instance) {
        return client.get("instances", "default", instance).path("status").path("state").asText();
    }
}
