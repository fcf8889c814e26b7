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
import io.wharf.client.stack.Plan;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.auth.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed config or secret goes through the service's rollout, on a real control plane and a
 * real agent running process tasks: 3 replicas, rolling with {@code maxSurge: 1} (so never fewer
 * than 3 ready), a readiness check (a TCP listener the task opens unless its config says
 * {@code broken}). The instances' readiness is followed by a watch of instances, not by polling
 * counts; the plan names the config or secret as the reason and never a secret's value; a config
 * that breaks readiness is rolled back to the revision the service took before.
 */
class ConfigRolloutTest {
    private static final String SERVICE = "web";
    private static final String TOKEN_1 = "tok-aaa-1111";
    private static final String TOKEN_2 = "tok-bbb-2222";

    @TempDir Path dir;
    EmbeddedStore store;
    ControlPlane server;
    WharfClient client;
    NodeAgent agent;

    @BeforeEach
    void start() throws Exception {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded")
                .withBootstrapToken(TestTokens.ADMIN), store);
        client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(TestTokens.ADMIN));
        agent = NodeAgent.start(AgentSettings.of(server.apiAddress(), "node-r", dir.resolve("agent"))
                .stoppingWorkloadsOnClose().withToken(TestTokens.ADMIN));
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
        client.close();
        server.close();
        store.close();
    }

    @Test
    void aChangedConfigReplacesTheInstancesOneAtATimeAndTheNewOnesSeeTheNewValue() {
        applySettled(stack("blue", TOKEN_1));
        Set<String> before = names();
        String template = rollout().path("rollout").path("hash").asText();
        assertThat(seenBy(before)).containsOnly("blue|" + TOKEN_1);

        Plan plan = client.plan(stack("green", TOKEN_1), WharfClient.YAML);
        assertThat(plan.rollouts()).containsExactly(new Plan.InputRollout("default", SERVICE,
                List.of("config mode changed")));

        try (ReadyWatch watch = new ReadyWatch()) {
            applySettled(stack("green", TOKEN_1));
            assertThat(watch.minimumReady.get()).as("ready instances at every moment of the rollout").isGreaterThanOrEqualTo(3);
            assertThat(watch.peak.get()).as("never more than replicas + maxSurge").isLessThanOrEqualTo(4);
        }
        assertThat(rollout().path("rollout").path("hash").asText()).isNotEqualTo(template);
        assertThat(messages("RolloutStarted").getLast()).endsWith("(config mode changed)");
        Set<String> after = names();
        assertThat(after).hasSize(3).doesNotContainAnyElementsOf(before);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seenBy(after)).containsOnly("green|" + TOKEN_1));
        assertThat(reasons()).contains("InputsChanged", "RolloutStarted", "RolloutSucceeded");
        assertThat(messages("InputsChanged")).singleElement().asString().startsWith("config mode changed (revision ");
    }

    @Test
    void aChangedSecretIsRolledOutLikewiseAndItsValueIsInNoPlanAndNoEvent() {
        applySettled(stack("blue", TOKEN_1));
        Set<String> before = names();

        JsonNode plan = client.planJson(stack("blue", TOKEN_2), WharfClient.YAML);
        assertThat(plan.path("rollouts").toString()).contains("secret token changed");
        assertThat(plan.toString()).doesNotContain(TOKEN_1).doesNotContain(TOKEN_2);

        try (ReadyWatch watch = new ReadyWatch()) {
            applySettled(stack("blue", TOKEN_2));
            assertThat(watch.minimumReady.get()).isGreaterThanOrEqualTo(3);
        }
        Set<String> after = names();
        assertThat(after).hasSize(3).doesNotContainAnyElementsOf(before);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seenBy(after)).containsOnly("blue|" + TOKEN_2));
        assertThat(messages("InputsChanged")).singleElement().asString().startsWith("secret token changed");
        String everything = client.eventsAbout("Service", "default", SERVICE) + " "
                + client.listAll("events", ListOptions.inNamespace("default")) + " "
                + client.get("services", "default", SERVICE) + " " + instances();
        assertThat(everything).doesNotContain(TOKEN_1).doesNotContain(TOKEN_2);
    }

    @Test
    void aConfigThatFailsTheReadinessCheckIsRolledBackToTheRevisionTakenBefore() {
        applySettled(stack("blue", TOKEN_1));
        long taken = service().path("status").path("inputs").path("config/mode").asLong();
        assertThat(taken).isPositive();

        client.apply(stack("broken", TOKEN_1), WharfClient.YAML, OptionalLong.empty());

        await().atMost(Duration.ofSeconds(60)).until(() -> reasons().contains("RolloutRolledBack")
                && rollout().path("rollout").path("rollback").asBoolean()
                && rollout().path("rollout").path("phase").asText().equals("succeeded"));
        assertThat(messages("RolloutRolledBack")).singleElement().asString().contains("was not healthy within 5s");
        assertThat(service().path("status").path("inputs").path("config/mode").asLong()).isEqualTo(taken);
        assertThat(client.get("configs", "default", "mode").path("spec").path("data").asText()).isEqualTo("broken");
        Set<String> now = names();
        assertThat(now).hasSize(3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seenBy(now)).containsOnly("blue|" + TOKEN_1));
        assertThat(instances()).allSatisfy(i -> assertThat(i.path("status").path("health").asText()).isEqualTo("healthy"));
        // The rolled-back revision stays: the controller does not roll the broken config forward again.
        assertThat(reasons().stream().filter("RolloutStarted"::equals).count()).isEqualTo(2);
    }

    /** Follows every instance's readiness through a watch: the fewest ready and the most instances seen at once. */
    final class ReadyWatch implements AutoCloseable {
        final Map<String, Boolean> ready = new HashMap<>();
        final AtomicInteger minimumReady = new AtomicInteger(Integer.MAX_VALUE);
        final AtomicInteger peak = new AtomicInteger();
        final WatchStream stream;

        ReadyWatch() {
            stream = client.watch(WatchRequest.of("instances").inNamespace("default"), new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    String name = event.object().path("metadata").path("name").asText();
                    synchronized (ready) {
                        if (event.isDelete()) {
                            ready.remove(name);
                        } else {
                            ready.put(name, isReady(event.object()));
                        }
                        count();
                    }
                }
            });
            synchronized (ready) {
                for (JsonNode i : instances()) ready.putIfAbsent(i.path("metadata").path("name").asText(), isReady(i));
                count();
            }
        }

        private void count() {
            minimumReady.accumulateAndGet((int) ready.values().stream().filter(r -> r).count(), Math::min);
            peak.accumulateAndGet(ready.size(), Math::max);
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    static boolean isReady(JsonNode instance) {
        return instance.path("status").path("state").asText().equals("running")
                && instance.path("status").path("health").asText().equals("healthy");
    }

    /** Applies and waits until the applied template's rollout succeeded with 3 ready instances of it. */
    void applySettled(String yaml) {
        client.apply(yaml, WharfClient.YAML, OptionalLong.empty());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode r = rollout();
            String hash = r.path("rollout").path("hash").asText();
            List<JsonNode> all = instances();
            return hash.equals(r.path("template").asText()) && r.path("rollout").path("phase").asText().equals("succeeded")
                    && all.size() == 3 && all.stream().allMatch(i -> isReady(i)
                    && i.path("metadata").path("labels").path("wharf.io/template").asText().equals(hash));
        });
    }

    JsonNode rollout() {
        return new io.wharf.client.RolloutApi(client).status("default", SERVICE);
    }

    JsonNode service() {
        return client.get("services", "default", SERVICE);
    }

    List<JsonNode> instances() {
        return client.listAll("instances", ListOptions.inNamespace("default"));
    }

    Set<String> names() {
        Set<String> out = new HashSet<>();
        instances().forEach(i -> out.add(i.path("metadata").path("name").asText()));
        return out;
    }

    List<String> reasons() {
        return client.eventsAbout("Service", "default", SERVICE).stream().map(e -> e.path("spec").path("reason").asText())
                .toList();
    }

    List<String> messages(String reason) {
        return client.eventsAbout("Service", "default", SERVICE).stream()
                .filter(e -> e.path("spec").path("reason").asText().equals(reason))
                .map(e -> e.path("spec").path("message").asText()).toList();
    }

    /** What each instance's task printed: {@code MODE|TOKEN}. */
    Set<String> seenBy(Set<String> instances) {
        Set<String> out = new HashSet<>();
        for (String name : instances) {
            agent.logs().reader(new TaskId("default." + name, SERVICE)).read(LogStream.STDOUT, null).stream()
                    .map(LogLine::text).filter(t -> t.startsWith("seen: ")).forEach(t -> out.add(t.substring(6)));
        }
        return out;
    }

    static String stack(String mode, String token) {
        return """
            stack: shop
            namespace: default
            configs:
              mode: {data: "%s"}
            secrets:
              token: {value: "%s"}
            services:
              web:
                replicas: 3
                command: [sh, -c, 'mode=$(cat $WHARF_CONFIG_MODE); echo "seen: $mode|$TOKEN"; if [ "$mode" = broken ]; then exec sleep 600; fi; exec /usr/bin/python3 -m http.server $PORT --bind 127.0.0.1']
                ports: [{name: http, port: 0}]
                health:
                  readiness: {type: tcp, port: http, interval: 300ms, timeout: 200ms}
                stopGracePeriod: 2s
                configs: [mode]
                secrets: [{name: token, env: TOKEN}]
                update: {maxSurge: 1, parallelism: 1, minHealthyTime: 0s, healthyDeadline: 5s, autoRollback: true}
            """.formatted(mode, token);
    }
}
