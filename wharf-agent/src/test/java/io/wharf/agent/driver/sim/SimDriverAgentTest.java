package io.wharf.agent.driver.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.AgentSettings;
import io.wharf.agent.NodeAgent;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Metadata;
import io.wharf.model.Service;
import io.wharf.model.task.SimDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real NodeAgent with the sim driver enabled, against a real control plane. */
class SimDriverAgentTest {
    @TempDir Path dir;

    @Test
    void anAgentWithTheSimDriverEnabledOffersItAndRunsSimServices() {
        System.setProperty(io.wharf.agent.driver.sim.SimDriver.ENABLE_PROPERTY, "true");
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"));
             ControlPlane server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
             WharfClient client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
             NodeAgent agent = NodeAgent.start((AgentSettings.of(server.apiAddress(), "sim-a", dir.resolve("agent"))
                     .stoppingWorkloadsOnClose()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
            await().atMost(Duration.ofSeconds(20)).until(agent::ready);
            assertThat(agent.drivers()).contains("sim", "process");

            new ResourceClient(client).put(new Service(Metadata.of("fake", "default"),
                    ServiceSpec.of(3, TaskSpec.main("main", SimDriver.FOREVER))));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances(client))
                    .hasSize(3).allSatisfy(i -> assertThat(i.path("status").path("state").asText()).isEqualTo("running")));
        } finally {
            System.clearProperty(io.wharf.agent.driver.sim.SimDriver.ENABLE_PROPERTY);
        }
    }

    private static List<JsonNode> instances(WharfClient client) {
        return client.listAll("instances", ListOptions.ALL);
    }
}
