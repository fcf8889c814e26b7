package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.logs.LogLine;
import io.wharf.agent.logs.LogStream;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Config;
import io.wharf.model.Metadata;
import io.wharf.model.Secret;
import io.wharf.model.Service;
import io.wharf.model.config.ConfigSpec;
import io.wharf.model.config.SecretSpec;
import io.wharf.model.config.SecretValue;
import io.wharf.model.task.ConfigMount;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.auth.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance whose config or secret does not exist yet waits for it (state {@code waiting}, the
 * reason naming what is missing) instead of failing, and starts by itself, with the values, as
 * soon as it is created: a real control plane, a real agent, a real process.
 */
class WaitingForInputsTest {
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
        server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(TestTokens.ADMIN), store);
        client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(TestTokens.ADMIN));
        resources = new ResourceClient(client);
        agent = NodeAgent.start(AgentSettings.of(server.apiAddress(), "node-w", dir.resolve("agent"))
                .stoppingWorkloadsOnClose().withToken(TestTokens.ADMIN));
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
    void anInstanceWaitsForItsMissingConfigAndSecretAndStartsWithThemOnceTheyAreCreated() {
        var task = new TaskSpec("app", TaskLifecycle.MAIN, new ProcessDriver(List.of("sh", "-c",
                "echo \"seen: $DB_PASSWORD|$(cat $WHARF_CONFIG_PAGE)\"; exec sleep 60 # " + marker), List.of(), null),
                Map.of(), null, List.of(), List.of(), List.of(new ConfigMount("page", null, "/run/configs/page", 0444)),
                List.of(new ConfigMount("db-password", "DB_PASSWORD", null, 0)), null, null, null);
        resources.put(new Service(Metadata.of("app", "default"), ServiceSpec.of(1, task)));

        awaitWaiting("config page not found in namespace default");

        resources.put(new Config(Metadata.of("page", "default"), new ConfigSpec("page v1", null)));
        JsonNode waiting = awaitWaiting("secret db-password not found in namespace default");
        String name = waiting.path("metadata").path("name").asText();
        assertThat(Workloads.pidsWith(marker)).isEmpty();

        resources.put(new Secret(Metadata.of("db-password", "default"), new SecretSpec(new SecretValue("pw-1"), Map.of(), null)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seen(name))
                .containsExactly("seen: pw-1|page v1"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instance().path("status").path("state")
                .asText()).isEqualTo("running"));
        JsonNode running = instance();
        assertThat(running.path("metadata").path("name").asText()).isEqualTo(name);
        assertThat(running.path("status").path("restarts").asInt()).isZero();
        assertThat(running.path("status").has("waitingReason")).isFalse();
        assertThat(client.eventsAbout("Instance", "default", name)).extracting(e -> e.path("spec").path("reason").asText() + ": "
                        + e.path("spec").path("message").asText())
                .contains("InstanceWaiting: config page not found in namespace default")
                .doesNotContain("InstanceFailed");
        assertThat(client.eventsAbout("Instance", "default", name).toString()).doesNotContain("pw-1");
    }

    private JsonNode awaitWaiting(String reason) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode i = instance();
            assertThat(i.path("status").path("state").asText()).isEqualTo("waiting");
            assertThat(i.path("status").path("waitingReason").asText()).isEqualTo(reason);
            assertThat(i.path("status").path("restarts").asInt()).isZero();
        });
        return instance();
    }

    private JsonNode instance() {
        List<JsonNode> all = client.listAll("instances", ListOptions.inNamespace("default"));
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private List<String> seen(String instance) {
        return agent.logs().reader(new TaskId("default." + instance, "app")).read(LogStream.STDOUT, null).stream()
                .map(LogLine::text).filter(t -> t.startsWith("seen: ")).toList();
    }
}
