package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.docker.DockerdFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad docker task configurations applied to a real control plane with a real agent on a private
 * dockerd: the instance fails with a reason a person can act on, one {@code InstanceFailed} event
 * carries it, and nothing is retried (no restarts, no replacement instance, no second event).
 * A task that does start but keeps crashing is retried only as often as its restart policy
 * allows, and the count is in the instance's status.
 */
class DockerBadConfigTest {
    @RegisterExtension static final DockerdFixture dockerd = new DockerdFixture();

    @TempDir Path dir;

    private EmbeddedStore store;
    private ControlPlane server;
    private WharfClient client;
    private NodeAgent agent;
    private ServerSocket held;

    @BeforeEach
    void start() throws IOException {
        held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
        client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        agent = NodeAgent.start((new AgentSettings(server.apiAddress(), "node-d", null, dir.resolve("agent"), null, 0,
                Map.of(), null, dockerd.host(), true)).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        await().atMost(Duration.ofSeconds(20)).until(agent::ready);
        assertThat(agent.drivers()).contains("docker");
    }

    @AfterEach
    void stop() throws IOException {
        if (agent != null) agent.close();
        client.close();
        server.close();
        store.close();
        held.close();
    }

    /** name, the service's driver fields (YAML, %1$s = the test image, %2$d = a port in use), the reason. */
    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("unknown image", "image: wharf-test/no-such-image:1\n    command: [sleep, '60']",
                        "main task bad failed: unknown image wharf-test/no-such-image:1: not present on this node"),
                Arguments.of("missing command (the image has none)", "image: %1$s",
                        "main task bad failed: docker refused the container: No command specified"),
                Arguments.of("port already taken (host network)",
                        "image: %1$s\n    network: host\n    command: [sleep, '60']\n    ports: [{name: http, port: %2$d}]",
                        "main task bad failed: port http (127.0.0.1:%2$d) is already in use"),
                Arguments.of("memory limit below the minimum",
                        "image: %1$s\n    command: [sleep, '60']\n    resources: {memory: 4Mi}",
                        "main task bad failed: memory limit 4Mi is below the docker driver's minimum of 6Mi"),
                Arguments.of("bridge port on a daemon without a bridge",
                        "image: %1$s\n    command: [sleep, '60']\n    ports: [{name: http, port: 80, hostPort: %2$d}]",
                        "main task bad failed: port http needs bridge networking, which this node's Docker Engine does"
                                + " not have; use host networking"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void aDockerTaskTheDriverRefusesFailsItsInstanceOnceWithTheReason(String name, String fields, String reason) {
        String expected = reason.formatted(dockerd.busyboxImage(), held.getLocalPort());
        apply(fields.formatted(dockerd.busyboxImage(), held.getLocalPort()), "");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances()).singleElement().satisfies(i -> {
            assertThat(i.path("status").path("state").asText()).isEqualTo("failed");
            assertThat(i.path("status").path("exitReason").asText()).isEqualTo(expected);
        }));
        String instance = instances().getFirst().path("metadata").path("name").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(failures(instance))
                .singleElement().satisfies(e -> assertThat(e.path("spec").path("message").asText()).isEqualTo(expected)));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            assertThat(instances()).singleElement().satisfies(i -> {
                assertThat(i.path("metadata").path("name").asText()).isEqualTo(instance);
                assertThat(i.path("status").path("state").asText()).isEqualTo("failed");
                assertThat(i.path("status").path("restarts").asInt()).isZero();
            });
            assertThat(failures(instance)).hasSize(1);
        });
    }

    @Test
    void aCommandMissingFromTheImageFailsWithTheDaemonsReasonAndIsNotRetried() {
        apply("image: " + dockerd.busyboxImage() + "\n    command: [wharf-no-such-program]", "");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances()).singleElement().satisfies(i -> {
            assertThat(i.path("status").path("state").asText()).isEqualTo("failed");
            assertThat(i.path("status").path("restarts").asInt()).isZero();
            assertThat(i.path("status").path("exitReason").asText())
                    .isEqualTo("main task bad failed: container did not start: command not found in the image: wharf-no-such-program");
        }));
        String instance = instances().getFirst().path("metadata").path("name").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(failures(instance)).hasSize(1));
    }

    @Test
    void aCrashingContainerIsRestartedOnlyAsOftenAsItsPolicyAllowsAndTheCountIsInStatus() {
        apply("image: " + dockerd.busyboxImage() + "\n    command: [sh, -c, 'echo broken config >&2; exit 3']",
                "    restart: {attempts: 2, interval: 5m, delay: 100ms}\n");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(instances()).singleElement().satisfies(i -> {
            assertThat(i.path("status").path("state").asText()).isEqualTo("failed");
            assertThat(i.path("status").path("restarts").asInt()).isEqualTo(2);
            assertThat(i.path("status").path("exitCode").asInt()).isEqualTo(3);
            assertThat(i.path("status").path("exitReason").asText())
                    .isEqualTo("main task bad failed: start limit reached: 2 restarts within 5m; last run exited with code 3");
        }));
        String instance = instances().getFirst().path("metadata").path("name").asText();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            assertThat(instances()).singleElement().satisfies(i -> assertThat(i.path("status").path("restarts").asInt()).isEqualTo(2));
            assertThat(failures(instance)).hasSize(1);
        });
    }

    private void apply(String fields, String more) {
        client.apply("""
            stack: badstack
            namespace: default
            services:
              bad:
                replicas: 1
                %s
            %s""".formatted(fields, more), WharfClient.YAML, OptionalLong.empty());
    }

    private List<JsonNode> instances() {
        return client.listAll("instances", ListOptions.inNamespace("default"));
    }

    private List<JsonNode> failures(String instance) {
        return client.eventsAbout("Instance", "default", instance).stream()
                .filter(e -> e.path("spec").path("reason").asText().equals("InstanceFailed")).toList();
    }
}
