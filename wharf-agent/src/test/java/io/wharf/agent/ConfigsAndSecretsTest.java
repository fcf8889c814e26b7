package io.wharf.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.logs.LogLine;
import io.wharf.agent.logs.LogStream;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.docker.DockerdFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs and secrets reach tasks through a real control plane and agent: as files in the
 * instance's directory (secrets 0400; bind-mounted read-only into containers) and as variables;
 * changing a config rolls the service out: a new instance sees the new value; secret
 * values appear in no status and no event.
 */
class ConfigsAndSecretsTest {
    @RegisterExtension static final DockerdFixture dockerd = new DockerdFixture();

    private static final String SECRET = "s3cr3t-one";
    private static final String TOKEN = "tok-7781";

    @TempDir Path dir;

    @Test
    void aProcessTaskSeesItsConfigsAndSecretsAndAChangedConfigIsRolledOutAsANewInstance() throws Exception {
        String command = "echo \"seen: $GREETING|$(cat $WHARF_CONFIG_PAGE)|$(stat -c %a $WHARF_SECRET_DB_PASSWORD)"
                + "|$(cat $WHARF_SECRET_DB_PASSWORD)|$API_TOKEN\"; exec sleep 60";
        try (var store = EmbeddedStore.open(dir.resolve("store"));
             var server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
             var client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
             var agent = NodeAgent.start((AgentSettings.of(server.apiAddress(), "node-c", dir.resolve("agent"))
                     .stoppingWorkloadsOnClose()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
            client.apply(stack("page v1", "command: [sh, -c, '" + command + "']"), WharfClient.YAML, OptionalLong.empty());

            String instance = awaitRunning(client);
            TaskId task = new TaskId("default." + instance, "app");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seen(agent, task))
                    .containsExactly("seen: hello|page v1|400|" + SECRET + "|" + TOKEN));
            Path secretFile = dir.resolve("agent/instances/default." + instance + "/files/app/secrets/db-password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile))).isEqualTo("r--------");
            Path configFile = dir.resolve("agent/instances/default." + instance + "/files/app/configs/page");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configFile))).isEqualTo("r--r--r--");

            client.apply(stack("page v2", "command: [sh, -c, '" + command + "']"), WharfClient.YAML, OptionalLong.empty());

            // The change is rolled out: a new instance sees the new value, the old one is gone.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<JsonNode> all = instances(client);
                return all.size() == 1 && !all.getFirst().path("metadata").path("name").asText().equals(instance)
                        && all.getFirst().path("status").path("state").asText().equals("running");
            });
            String replacement = awaitRunning(client);
            TaskId next = new TaskId("default." + replacement, "app");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seen(agent, next))
                    .containsExactly("seen: hello|page v2|400|" + SECRET + "|" + TOKEN));
            assertThat(Files.readString(dir.resolve("agent/instances/default." + replacement + "/files/app/configs/page")))
                    .isEqualTo("page v2");
            assertThat(seen(agent, task)).containsExactly("seen: hello|page v1|400|" + SECRET + "|" + TOKEN);
            assertNoSecretIn(client, replacement);
        }
    }

    @Test
    void aDockerTaskGetsItsConfigsAndSecretsAsReadOnlyFilesAtTheirPaths() throws Exception {
        String command = "echo \"seen: $GREETING|$(cat /run/configs/page)|$(stat -c %a /run/secrets/db-password)"
                + "|$(cat /run/secrets/db-password)|$API_TOKEN|$WHARF_CONFIG_PAGE\"; "
                + "(echo x > /run/configs/page) 2>/dev/null && echo writable || echo read-only; exec sleep 60";
        try (var store = EmbeddedStore.open(dir.resolve("store"));
             var server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
             var client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
             var agent = NodeAgent.start((new AgentSettings(server.apiAddress(), "node-cd", null, dir.resolve("agent"),
                     null, 0, Map.of(), null, dockerd.host(), true)).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
            client.apply(stack("page v1", "image: " + dockerd.busyboxImage() + "\n    network: host\n    command: [sh, -c, '"
                    + command + "']"), WharfClient.YAML, OptionalLong.empty());

            String instance = awaitRunning(client);
            TaskId task = new TaskId("default." + instance, "app");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(agent.logs().reader(task)
                    .read(LogStream.STDOUT, null)).extracting(LogLine::text).containsExactly(
                            "seen: hello|page v1|400|" + SECRET + "|" + TOKEN + "|/run/configs/page", "read-only"));
            assertNoSecretIn(client, instance);
        }
    }

    private static String stack(String page, String driverFields) {
        return """
            stack: cfg
            namespace: default
            configs:
              page: {data: "%s"}
              greeting: {data: hello}
            secrets:
              db-password: {value: "%s"}
              api-token: {value: "%s"}
            services:
              app:
                %s
                configs: [page, {name: greeting, env: GREETING}]
                secrets: [db-password, {name: api-token, env: API_TOKEN}]
            """.formatted(page, SECRET, TOKEN, driverFields);
    }

    private static List<String> seen(NodeAgent agent, TaskId task) {
        return agent.logs().reader(task).read(LogStream.STDOUT, null).stream().map(LogLine::text)
                .filter(t -> t.startsWith("seen: ")).toList();
    }

    private static String awaitRunning(WharfClient client) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(instances(client)).singleElement()
                .satisfies(i -> assertThat(i.path("status").path("state").asText()).isEqualTo("running")));
        return instances(client).getFirst().path("metadata").path("name").asText();
    }

    private static void assertNoSecretIn(WharfClient client, String instance) {
        assertThat(instances(client).toString()).doesNotContain(SECRET).doesNotContain(TOKEN);
        assertThat(client.eventsAbout("Instance", "default", instance).toString()).doesNotContain(SECRET).doesNotContain(TOKEN);
    }

    private static List<JsonNode> instances(WharfClient client) {
        return client.listAll("instances", ListOptions.inNamespace("default"));
    }
}
