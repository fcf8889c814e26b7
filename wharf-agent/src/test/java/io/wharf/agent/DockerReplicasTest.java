package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.docker.DockerdFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many replicas placed at once on one node, with a start bound well below their number: every
 * one runs (the bound queues starts, never drops or wedges them), each in exactly one container.
 */
class DockerReplicasTest {
    @RegisterExtension static final DockerdFixture dockerd = new DockerdFixture();

    @TempDir Path dir;

    @Test
    void twelveReplicasPlacedAtOnceAllRunThroughAStartBoundOfTwo() {
        try (var store = EmbeddedStore.open(dir.resolve("store"));
             var server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
             var client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
             var agent = NodeAgent.start((new AgentSettings(server.apiAddress(), "node-r", null, dir.resolve("agent"),
                     null, 0, Map.of(), null, dockerd.host(), true).withStartParallelism(2)).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
            client.apply("""
                stack: many
                namespace: default
                services:
                  sleeper:
                    replicas: 12
                    image: %s
                    network: host
                    command: [sleep, "600"]
                    resources: {cpu: 0m, memory: 16Mi}
                """.formatted(dockerd.busyboxImage()), WharfClient.YAML, OptionalLong.empty());

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                    client.listAll("instances", ListOptions.inNamespace("default")))
                    .hasSize(12).allSatisfy(i -> assertThat(i.path("status").path("state").asText()).isEqualTo("running")));
            assertThat(agent.instances()).hasSize(12);
            assertThat(agent.instances().values()).allSatisfy(s -> assertThat(s.restarts()).isZero());
        }
    }
}
