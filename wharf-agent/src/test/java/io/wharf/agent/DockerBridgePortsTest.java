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
import io.wharf.testkit.net.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's bridge networking end to end, on a private dockerd whose bridge is its own (a Linux
 * bridge on a private 10.213.x.0/24, no iptables rules, nothing routed off the host): a service
 * with a fixed host port and one with a dynamic one, each published on 127.0.0.1 by Docker's
 * userland proxy and answering HTTP there; the task listens inside on its own port number.
 */
class DockerBridgePortsTest {
    @RegisterExtension static final DockerdFixture dockerd = DockerdFixture.withPrivateBridge();

    @TempDir Path dir;

    @Test
    void aBridgeTasksPortsArePublishedOnTheNodeAddressAndAnswer() throws Exception {
        int fixed = LoopbackPorts.free();
        String stack = """
            stack: bridged
            namespace: default
            services:
              web:
                image: %s
                network: bridge
                command: [sh, -c, "mkdir -p /www && echo \\"inside $WHARF_PORT_HTTP and $WHARF_PORT_ALT\\" > /www/index.html && httpd -p $WHARF_PORT_HTTP -h /www && exec httpd -f -p $WHARF_PORT_ALT -h /www"]
                ports:
                  - {name: http, port: 80, hostPort: %d}
                  - {name: alt, port: 0}
                health:
                  readiness: {type: http, port: http, interval: 1s, timeout: 1s}
            """.formatted(dockerd.busyboxImage(), fixed);
        try (var store = EmbeddedStore.open(dir.resolve("store"));
             var server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
             var client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
             var agent = NodeAgent.start((new AgentSettings(server.apiAddress(), "bridge-node", null, dir.resolve("agent"),
                     null, 0, Map.of(), null, dockerd.host(), true)).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
            assertThat(agent.drivers()).contains("docker");
            client.apply(stack, WharfClient.YAML, OptionalLong.empty());

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(instances(client)).singleElement()
                    .satisfies(i -> assertThat(i.path("status").path("health").asText()).isEqualTo("healthy")));
            JsonNode assigned = instances(client).getFirst().path("spec").path("assignedPorts");
            assertThat(assigned.path("http").asInt()).isEqualTo(fixed);
            int dynamic = assigned.path("alt").asInt();
            assertThat(dynamic).isPositive().isNotEqualTo(fixed);

            assertThat(get(fixed)).isEqualTo("inside 80 and " + dynamic + "\n");
            assertThat(get(dynamic)).isEqualTo("inside 80 and " + dynamic + "\n");
        }
    }

    private static List<JsonNode> instances(WharfClient client) {
        return client.listAll("instances", ListOptions.inNamespace("default"));
    }

    private static String get(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
