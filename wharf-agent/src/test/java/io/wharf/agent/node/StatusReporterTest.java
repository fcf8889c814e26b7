package io.wharf.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.wharf.client.AgentApi;
import io.wharf.client.ClientSettings;
import io.wharf.client.StatusItem;
import io.wharf.client.WharfClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batched status against a scripted server that fails at first: the latest state always arrives. */
class StatusReporterTest {
    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> batches = new CopyOnWriteArrayList<>();
    private final Map<String, String> serverState = new ConcurrentHashMap<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private HttpServer server;
    private WharfClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/v1/instances/status", exchange -> {
            JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
            byte[] answer;
            int status;
            if (failuresLeft.getAndDecrement() > 0) {
                status = 503;
                answer = "{\"error\":{\"code\":\"unavailable\",\"message\":\"store down\"}}".getBytes(StandardCharsets.UTF_8);
            } else {
                batches.add(body);
                body.path("items").forEach(i -> serverState.put(i.path("name").asText(), i.path("status").path("state").asText()));
                status = 200;
                answer = ("{\"revision\":1,\"updated\":" + body.path("items").size() + ",\"skipped\":[]}").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        client = new WharfClient(ClientSettings.of("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void theLatestStatusOfEveryInstanceArrivesAfterFailedReportsAndEachBatchNamesAnInstanceOnce() {
        failuresLeft.set(3);
        try (var reporter = new StatusReporter(new AgentApi(client), Duration.ofMillis(50))) {
            for (String state : List.of("pending", "starting", "running")) {
                for (int i = 0; i < 20; i++) reporter.offer(new InstanceKey("shop", "web-" + i), item("web-" + i, state));
            }
            reporter.offer(new InstanceKey("shop", "web-0"), item("web-0", "failed"));

            await().atMost(Duration.ofSeconds(20)).until(() -> serverState.size() == 20 && reporter.idle());
        }
        assertThat(serverState).containsEntry("web-0", "failed");
        for (int i = 1; i < 20; i++) assertThat(serverState).containsEntry("web-" + i, "running");
        for (JsonNode batch : batches) {
            var names = new ArrayList<String>();
            batch.path("items").forEach(i -> names.add(i.path("name").asText()));
            assertThat(new HashSet<>(names)).hasSameSizeAs(names);
        }
    }

    private StatusItem item(String name, String state) {
        return new StatusItem("shop", name, json.createObjectNode().put("state", state));
    }
}
