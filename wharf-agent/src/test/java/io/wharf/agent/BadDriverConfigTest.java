package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ApiException;
import io.wharf.client.ApiProblem;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Metadata;
import io.wharf.model.Service;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.task.JavaDriver;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A service whose task the driver refuses to start, applied to a real control plane with a real
 * agent: the instance fails with the driver's reason, one {@code InstanceFailed} event carries
 * it, and nothing is retried (no restarts, no replacement instances, no second failure).
 *
 * <p>A missing command never gets this far: the server refuses such a service at apply
 * ({@link #aProcessTaskWithoutACommandIsRefusedAtApply}). The docker driver's "unknown image"
 * is shown against a private dockerd in {@code DockerDriverTest}.
 */
class BadDriverConfigTest {
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
        agent = NodeAgent.start((AgentSettings.of(server.apiAddress(), "node-a", dir.resolve("agent")).stoppingWorkloadsOnClose()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        await().atMost(Duration.ofSeconds(20)).until(agent::ready);
    }

    @AfterEach
    void stop() throws IOException {
        if (agent != null) agent.close();
        client.close();
        server.close();
        store.close();
        held.close();
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("command not found",
                        (IntFunction<TaskSpec>) port -> TaskSpec.main("main",
                                new ProcessDriver(List.of("wharf-no-such-program"), List.of(), null)),
                        "main task main failed: command not found: wharf-no-such-program"),
                Arguments.of("working directory missing",
                        (IntFunction<TaskSpec>) port -> TaskSpec.main("main",
                                new ProcessDriver(List.of("sh", "-c", "true"), List.of(), "/nonexistent/wharf-dir")),
                        "main task main failed: working directory does not exist: /nonexistent/wharf-dir"),
                Arguments.of("port already taken",
                        (IntFunction<TaskSpec>) port -> TaskSpec.main("main",
                                new ProcessDriver(List.of("sh", "-c", "sleep 60"), List.of(), null))
                                .withPorts(List.of(PortSpec.tcp("http", port))),
                        "main task main failed: port http (127.0.0.1:%d) is already in use"),
                Arguments.of("memory below the java driver's minimum",
                        (IntFunction<TaskSpec>) port -> TaskSpec.main("main",
                                new JavaDriver(null, "io.wharf.NoSuchMain", List.of("."), List.of(), List.of()))
                                .withResources(new ComputeResources(new Cpu(100), ByteSize.ofMebibytes(16))),
                        "main task main failed: memory limit 16Mi is below the java driver's minimum of 32Mi"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void aTaskTheDriverRefusesFailsItsInstanceOnceWithTheReason(String name, IntFunction<TaskSpec> task, String reason) {
        String expected = reason.formatted(held.getLocalPort());
        new ResourceClient(client).put(new Service(Metadata.of("bad", "default"),
                ServiceSpec.of(1, task.apply(held.getLocalPort()))));

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
    void aProcessTaskWithoutACommandIsRefusedAtApply() {
        var service = new Service(Metadata.of("empty", "default"),
                ServiceSpec.of(1, TaskSpec.main("main", new ProcessDriver(List.of(), List.of(), null))));

        assertThatThrownBy(() -> new ResourceClient(client).put(service))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problems())
                        .extracting(ApiProblem::toString).containsExactly("spec.tasks[0].command: is required for the process driver"));
        assertThat(client.listAll("instances", ListOptions.inNamespace("default"))).isEmpty();
    }

    private List<JsonNode> instances() {
        return client.listAll("instances", ListOptions.inNamespace("default"));
    }

    private List<JsonNode> failures(String instance) {
        return client.eventsAbout("Instance", "default", instance).stream()
                .filter(e -> e.path("spec").path("reason").asText().equals("InstanceFailed")).toList();
    }
}
