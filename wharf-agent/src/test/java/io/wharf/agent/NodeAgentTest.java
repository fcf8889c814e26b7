package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.AgentApi;
import io.wharf.client.ClientSettings;
import io.wharf.client.ExecOutcome;
import io.wharf.client.ListOptions;
import io.wharf.client.LogLines;
import io.wharf.client.LogQuery;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Service;
import io.wharf.model.task.PortSpec;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.IOException;
import java.net.ServerSocket;
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

/**
 * A NodeAgent against a real control plane (API, service controller) on an embedded store,
 * running real processes.
 */
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
        server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
        client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        resources = new ResourceClient(client);
        agent = NodeAgent.start((AgentSettings.of(server.apiAddress(), "node-a", dir.resolve("agent"))
                .withLabels(Map.of("zone", "a")).stoppingWorkloadsOnClose()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        await().atMost(Duration.ofSeconds(20)).until(agent::ready);
    }

    @AfterEach
    void stop() {
        if (agent != null) agent.close();
        client.close();
        server.close();
        store.close();
        Workloads.pidsWith(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
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
    void aServiceOfTwoReplicasRunsTwoProcessesReportedRunning() {
        resources.put(Workloads.service("web", 2, "echo started; while :; do sleep 1; done # " + marker));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(instances("web")).hasSize(2).allMatch(i -> state(i).equals("running")));
        assertThat(Workloads.pidsWith(marker)).hasSize(2);
        for (JsonNode i : instances("web")) {
            assertThat(i.path("spec").path("node").asText()).isEqualTo("node-a");
            assertThat(i.path("status").path("address").asText()).isEqualTo("127.0.0.1");
            assertThat(i.path("status").path("restarts").asInt()).isZero();
        }
    }

    @Test
    void scalingDownStopsTheProcessOfTheRemovedInstance() {
        Service web = Workloads.service("web", 2, "while :; do sleep 1; done # " + marker);
        resources.put(web);
        await().atMost(Duration.ofSeconds(30)).until(() -> Workloads.pidsWith(marker).size() == 2);
        List<Long> before = Workloads.pidsWith(marker);

        resources.put(web.withSpec(web.spec().withReplicas(1)));

        await().atMost(Duration.ofSeconds(30)).until(() -> Workloads.pidsWith(marker).size() == 1);
        assertThat(before).containsAll(Workloads.pidsWith(marker));
        assertThat(before.stream().filter(pid -> !Workloads.alive(pid))).hasSize(1);
        await().until(() -> agent.instances().size() == 1);
    }

    @Test
    void aCrashedTaskIsRestartedWithBackoffAndItsRestartsCounted() {
        resources.put(Workloads.service("crashy", 1, "echo up; sleep 0.2; exit 3 # " + marker));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(instances("crashy")).singleElement()
                        .satisfies(i -> assertThat(i.path("status").path("restarts").asInt()).isGreaterThanOrEqualTo(2)));
    }

    @Test
    void aTaskPastItsServicesStartLimitFailsTheInstanceWithTheReason() {
        Service once = Workloads.service("once", 1, "exit 4 # " + marker);
        resources.put(once.withSpec(new io.wharf.model.workload.ServiceSpec(1, once.spec().tasks(),
                new io.wharf.model.task.RestartPolicy(io.wharf.model.task.RestartMode.ALWAYS, 1, Duration.ofMinutes(5),
                        Duration.ofMillis(100), Duration.ofMillis(100), 1.0), null, null, List.of(), null)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances("once")).anySatisfy(i -> {
            assertThat(state(i)).isEqualTo("failed");
            assertThat(i.path("status").path("exitReason").asText()).startsWith("main task main failed: start limit reached: 1 restarts within");
            assertThat(i.path("status").path("exitCode").asInt()).isEqualTo(4);
        }));
    }

    @Test
    void aMainTaskThatExitsCleanlyCompletesTheInstanceWithItsExitCode() {
        Service done = Workloads.service("done", 1, "echo bye # " + marker);
        resources.put(done.withSpec(new io.wharf.model.workload.ServiceSpec(1, done.spec().tasks(),
                new io.wharf.model.task.RestartPolicy(io.wharf.model.task.RestartMode.ON_FAILURE, 3, Duration.ofMinutes(5),
                        Duration.ofMillis(100), Duration.ofMillis(100), 1.0), null, null, List.of(), null)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances("done")).anySatisfy(i -> {
            assertThat(state(i)).isEqualTo("completed");
            assertThat(i.path("status").path("exitCode").isInt()).isTrue();
            assertThat(i.path("status").path("exitCode").asInt()).isZero();
            assertThat(i.path("status").path("exitReason").asText()).isEqualTo("main task main completed: exited with code 0");
        }));
    }

    @Test
    void aRunningInstanceHasNoExitCode() {
        resources.put(Workloads.service("up", 1, "while :; do sleep 1; done # " + marker));
        await().atMost(Duration.ofSeconds(30)).until(() -> instances("up").size() == 1
                && state(instances("up").getFirst()).equals("running"));
        assertThat(instances("up").getFirst().path("status").has("exitCode")
                && !instances("up").getFirst().path("status").path("exitCode").isNull()).isFalse();
    }

    @Test
    void theRestartPolicyTheInstanceCarriesIsUsedWithoutReadingItsOwner() {
        // The owner is Job "batch", whose own default is never to restart: only the policy the
        // instance carries allows one restart. The job's placement constraint fits no node, so
        // the job controller places nothing itself; the test places the run's instance, labelled
        // with the run the controller started, so the controller counts it as that run's.
        var shell = Workloads.shell("batch-1", "batch", "node-a", "exit 5 # " + marker, Map.of());
        var nowhere = new io.wharf.model.workload.PlacementSpec(List.of(new io.wharf.model.workload.Constraint(
                "node.name", io.wharf.model.workload.ConstraintOperator.EQUALS, "nowhere")),
                io.wharf.model.workload.PlacementStrategy.BINPACK, false, false, List.of());
        resources.put(new io.wharf.model.Job(io.wharf.model.Metadata.of("batch", "default"),
                new io.wharf.model.workload.JobSpec(shell.spec().tasks(), 1, 1, 0, null, null, nowhere, List.of())));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.get("jobs", "default", "batch").path("status").path("run").asInt() == 1);
        var spec = new io.wharf.model.cluster.InstanceSpec(
                new io.wharf.model.ResourceRef(io.wharf.model.Kind.JOB, "default", "batch"), 1, "node-a",
                shell.spec().tasks(), Map.of(), new io.wharf.model.task.RestartPolicy(io.wharf.model.task.RestartMode.ON_FAILURE,
                        1, Duration.ofMinutes(5), Duration.ofMillis(100), Duration.ofMillis(100), 1.0));
        resources.put(new io.wharf.model.Instance(new io.wharf.model.Metadata("batch-1", "default",
                Map.of("wharf.io/job", "batch", "wharf.io/run", "1"), 0, null, null), spec));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode i = client.get("instances", "default", "batch-1");
            assertThat(state(i)).isEqualTo("failed");
            assertThat(i.path("status").path("exitReason").asText()).startsWith("main task main failed: start limit reached: 1 restarts within");
            assertThat(i.path("status").path("exitCode").asInt()).isEqualTo(5);
            assertThat(i.path("spec").path("restart").path("policy").asText()).isEqualTo("on-failure");
        });
    }

    @Test
    void logsAndExecReachTheTaskThroughTheServerWithItsAssignedPortInTheEnvironment() throws IOException {
        int port = freePort();
        resources.put(Workloads.service("talk", 1,
                "echo hello from $WHARF_INSTANCE_NAME on port $PORT; while :; do sleep 1; done # " + marker,
                PortSpec.tcp("http", port)));
        await().atMost(Duration.ofSeconds(30)).until(() -> instances("talk").size() == 1
                && state(instances("talk").getFirst()).equals("running"));
        String name = instances("talk").getFirst().path("metadata").path("name").asText();
        var api = new AgentApi(client);

        await().untilAsserted(() -> {
            try (LogLines lines = api.logs("default", name, LogQuery.ALL)) {
                assertThat(lines.next()).isEqualTo("hello from " + name + " on port " + port);
            }
        });

        ExecOutcome outcome = api.exec("default", name, null, List.of("sh", "-c", "echo $WHARF_PORT_HTTP; exit 7"));
        assertThat(outcome.exitCode()).isEqualTo(7);
        assertThat(outcome.output()).isEqualTo(port + "\n");
    }

    @Test
    void followsItsInstancesAcrossARestartOfTheServer() {
        int port = server.apiAddress().getPort();
        server.close();
        server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", port, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);

        resources.put(Workloads.service("later", 1, "while :; do sleep 1; done # " + marker));

        await().atMost(Duration.ofSeconds(30)).until(() -> instances("later").size() == 1
                && state(instances("later").getFirst()).equals("running"));
        assertThat(Workloads.pidsWith(marker)).hasSize(1);
    }

    @Test
    void registersAgainWhenTheServerNoLongerKnowsItsNode() {
        client.delete("nodes", null, "node-a");

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                client.get("nodes", null, "node-a").path("status").path("agentAddress").asText()
                        .equals(agent.endpoint().toString()));
    }

    private List<JsonNode> instances(String service) {
        return client.listAll("instances", ListOptions.inNamespace("default")).stream()
                .filter(i -> i.path("spec").path("owner").path("name").asText().equals(service)).toList();
    }

    private static String state(JsonNode instance) {
        return instance.path("status").path("state").asText();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
