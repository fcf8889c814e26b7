package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Metadata;
import io.wharf.model.Service;
import io.wharf.model.task.HealthSpec;
import io.wharf.model.task.Probe;
import io.wharf.model.task.ProbeType;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a running agent: task health, restarts and instance counts as Prometheus series. */
class AgentMetricsTest {
    @TempDir Path dir;

    private EmbeddedStore store;
    private ControlPlane server;
    private WharfClient client;
    private NodeAgent agent;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String marker = "wharf-test-" + UUID.randomUUID();

    @BeforeEach
    void start() {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
        client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        agent = NodeAgent.start((AgentSettings.of(server.apiAddress(), "node-a", dir.resolve("agent")).stoppingWorkloadsOnClose()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
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
    void healthSeriesFlipWithTheChecksAndGoWhenTheInstanceStops() throws Exception {
        Path ready = dir.resolve("ready");
        var check = (java.util.function.Function<String, Probe>) script -> new Probe(ProbeType.COMMAND, null, null,
                List.of("sh", "-c", script), Duration.ofMillis(200), Duration.ofMillis(200), Duration.ZERO, 1, 1);
        var task = TaskSpec.main("main", new ProcessDriver(List.of("sh", "-c", "while :; do sleep 1; done # " + marker),
                List.of(), null)).withHealth(new HealthSpec(check.apply("true"), check.apply("test -f " + ready)));
        var resources = new ResourceClient(client);
        resources.put(new Service(Metadata.of("web", "default"), ServiceSpec.of(1, task)));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.listAll("instances", ListOptions.inNamespace("default")).size() == 1);
        String instance = client.listAll("instances", ListOptions.inNamespace("default")).getFirst()
                .path("metadata").path("name").asText();
        String labels = "{check=\"%s\",instance=\"" + instance + "\",namespace=\"default\",task=\"main\"}";

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape())
                .contains("wharf_task_health" + labels.formatted("liveness") + " 1")
                .contains("wharf_task_health" + labels.formatted("readiness") + " 0")
                .contains("wharf_task_restarts_total{instance=\"" + instance + "\",namespace=\"default\",task=\"main\"} 0")
                .contains("wharf_instances{state=\"running\"} 1")
                .containsPattern("wharf_health_check_duration_seconds_count\\{check=\"readiness\"} [1-9]"));

        Files.createFile(ready);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("wharf_task_health" + labels.formatted("readiness") + " 1"));

        Files.delete(ready);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("wharf_task_health" + labels.formatted("readiness") + " 0"));

        resources.put(new Service(Metadata.of("web", "default"), ServiceSpec.of(0, task)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape())
                .doesNotContain("instance=\"" + instance + "\"")
                .contains("wharf_instances{state=\"running\"} 0"));
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(agent.endpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return r.body();
    }
}
