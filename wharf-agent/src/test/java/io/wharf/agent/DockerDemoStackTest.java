package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.docker.DockerdFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/demo-docker.yaml on a private dockerd: the agent runs both busybox containers with
 * host networking, and the frontend's page carries the greeter's answer.
 */
class DockerDemoStackTest {
    @RegisterExtension static final DockerdFixture dockerd = new DockerdFixture();

    @TempDir Path dir;

    @Test
    void theDockerDemoStackServesTheFrontendWhichCallsTheGreeter() throws Exception {
        String stack = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("examples/demo-docker.yaml"))
                .replace("image: busybox", "image: " + dockerd.busyboxImage());
        try (var store = EmbeddedStore.open(dir.resolve("store"));
             var server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
             var client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
             var agent = NodeAgent.start((new AgentSettings(server.apiAddress(), "docker-node", null, dir.resolve("agent"),
                     null, 0, java.util.Map.of(), null, dockerd.host(), true)).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
            assertThat(agent.drivers()).contains("docker");
            client.apply(stack, WharfClient.YAML, OptionalLong.empty());

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18090/cgi-bin/index"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("The greeter says: Hello from the greeter container!");
            });
        }
    }
}
