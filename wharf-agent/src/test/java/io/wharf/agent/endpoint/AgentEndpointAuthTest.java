package io.wharf.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.agent.AgentSettings;
import io.wharf.agent.NodeAgent;
import io.wharf.agent.Workloads;
import io.wharf.client.AgentApi;
import io.wharf.client.AuthApi;
import io.wharf.client.ClientSettings;
import io.wharf.client.ExecOutcome;
import io.wharf.client.ListOptions;
import io.wharf.client.LogLines;
import io.wharf.client.LogQuery;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.server.auth.jwt.AgentCallTokens;
import io.wharf.server.auth.jwt.SigningKeys;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.auth.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent endpoint of a real NodeAgent (real process workload) against a real control plane:
 * only tokens a server minted for this node, instance and action open logs and exec; the server's
 * proxy mints them, so logs and exec through the API keep working, also after a key rotation.
 * Test tokens are signed with the cluster's real current key, read from the same store.
 */
class AgentEndpointAuthTest {
    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String marker = "wharf-test-" + UUID.randomUUID();
    private EmbeddedStore store;
    private ControlPlane server;
    private WharfClient client;
    private NodeAgent agent;
    private String instance;

    @BeforeEach
    void start() {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded")
                .withBootstrapToken(TestTokens.ADMIN), store);
        client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(TestTokens.ADMIN));
        agent = NodeAgent.start(AgentSettings.of(server.apiAddress(), "node-a", dir.resolve("agent"))
                .stoppingWorkloadsOnClose().withToken(TestTokens.ADMIN));
        await().atMost(Duration.ofSeconds(20)).until(agent::ready);
        new ResourceClient(client).put(Workloads.service("talk", 1,
                "echo hello from $WHARF_INSTANCE_NAME; while :; do sleep 1; done # " + marker));
        await().atMost(Duration.ofSeconds(30)).until(() -> running().size() == 1);
        instance = running().getFirst().path("metadata").path("name").asText();
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
    void aCallWithoutATokenIsUnauthenticatedForLogsAndExec() throws Exception {
        assertRefused(logs(null), 401, "unauthenticated", "missing bearer token");
        assertRefused(exec(null), 401, "unauthenticated", "missing bearer token");
        assertThat(logs(null).headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertRefused(exec("Basic YWRtaW46YWRtaW4="), 401, "unauthenticated", "missing bearer token");
        assertRefused(exec("Bearer " + TestTokens.ADMIN), 401, "unauthenticated", "malformed token");
    }

    @Test
    void aTokenSignedWithAForeignKeyIsUnauthenticated() throws Exception {
        ECKey foreign = new ECKeyGenerator(Curve.P_256).keyID("not-a-wharf-key").generate();
        assertRefused(exec(bearer(sign(foreign, claims("exec", "node-a", instance)))), 401, "unauthenticated",
                "unknown key id");
        // The same foreign key claiming the cluster's key id: the signature does not hold.
        ECKey posing = new ECKeyGenerator(Curve.P_256).keyID(serverKey().getKeyID()).generate();
        assertRefused(exec(bearer(sign(posing, claims("exec", "node-a", instance)))), 401, "unauthenticated",
                "bad signature");
    }

    @Test
    void unsignedAndNonEs256TokensAreRefused() throws Exception {
        String none = new PlainJWT(claims("exec", "node-a", instance).build()).serialize();
        assertRefused(exec(bearer(none)), 401, "unauthenticated", "algorithm none refused");
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(serverKey().getKeyID()).build(),
                claims("exec", "node-a", instance).build());
        hmac.sign(new com.nimbusds.jose.crypto.MACSigner(new byte[32]));
        assertRefused(exec(bearer(hmac.serialize())), 401, "unauthenticated",
                "algorithm HS256 refused; tokens are signed ES256");
    }

    @Test
    void anExpiredTokenIsUnauthenticated() throws Exception {
        Instant past = Instant.now().minus(Duration.ofMinutes(5));
        String token = sign(serverKey(), claims("exec", "node-a", instance)
                .issueTime(Date.from(past)).notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(60))));
        assertRefused(exec(bearer(token)), 401, "unauthenticated", "token expired");
    }

    @Test
    void aTokenForAnotherNodeIsUnauthenticated() throws Exception {
        assertRefused(exec(bearer(sign(serverKey(), claims("exec", "node-b", instance)))), 401, "unauthenticated",
                "wrong audience");
        // A server API token's audience ("wharf") is not an agent's either.
        JWTClaimsSet.Builder api = claims("exec", "node-a", instance).audience("wharf");
        assertRefused(exec(bearer(sign(serverKey(), api))), 401, "unauthenticated", "wrong audience");
    }

    @Test
    void aTokenForAnotherInstanceOrActionIsForbidden() throws Exception {
        assertRefused(exec(bearer(sign(serverKey(), claims("exec", "node-a", "talk-other")))), 403, "forbidden",
                "token is for instance default/talk-other, not default/" + instance);
        assertRefused(exec(bearer(sign(serverKey(), claims("logs", "node-a", instance)))), 403, "forbidden",
                "token is for logs, not exec");
        assertRefused(logs(bearer(sign(serverKey(), claims("exec", "node-a", instance)))), 403, "forbidden",
                "token is for exec, not logs");
    }

    @Test
    void aTokenForThisNodeInstanceAndActionRunsTheCommand() throws Exception {
        HttpResponse<String> r = exec(bearer(sign(serverKey(), claims("exec", "node-a", instance))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).path("output").asText()).isEqualTo("hi\n");
    }

    @Test
    void logsAndExecThroughTheServerStillWorkAlsoAfterTheSigningKeyRotates() throws Exception {
        var api = new AgentApi(client);
        await().untilAsserted(() -> {
            try (LogLines lines = api.logs("default", instance, LogQuery.ALL)) {
                assertThat(lines.next()).isEqualTo("hello from " + instance);
            }
        });
        assertThat(api.exec("default", instance, null, List.of("sh", "-c", "echo hi; exit 3")))
                .isEqualTo(new ExecOutcome(3, "hi\n"));

        new AuthApi(client).rotateKeys(); // the agent has only the old key cached: it fetches the new one

        assertThat(api.exec("default", instance, null, List.of("sh", "-c", "echo again")))
                .isEqualTo(new ExecOutcome(0, "again\n"));
    }

    @Test
    void theTokenTheServerSendsToTheAgentIsRefusedByTheServerItself() throws Exception {
        // Were it accepted, a token seen by an agent could be replayed against the API as its caller.
        var tokens = new AgentCallTokens(keys(), InstantSource.system());
        String token = tokens.issue(io.wharf.server.auth.Principal.parse("user:admin").orElseThrow(), "node-a",
                "default", instance, AgentCallTokens.Action.EXEC);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.apiAddress().resolve("/v1/namespaces"))
                .header("Authorization", bearer(token)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(r, 401, "unauthenticated", "wrong audience");
        // ... while the agent takes it.
        assertThat(exec(bearer(token)).statusCode()).isEqualTo(200);
    }

    private List<JsonNode> running() {
        return client.listAll("instances", ListOptions.inNamespace("default")).stream()
                .filter(i -> i.path("status").path("state").asText().equals("running")).toList();
    }

    private SigningKeys keys() {
        return new SigningKeys(store, json, InstantSource.system(), Duration.ofHours(12));
    }

    /** The cluster's current signing key, private part included (read from the server's store). */
    private ECKey serverKey() {
        return keys().current().jwk();
    }

    private static JWTClaimsSet.Builder claims(String action, String node, String name) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("wharf").audience("agent:" + node).subject("user:admin")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString())
                .claim(AgentCallTokens.INSTANCE_CLAIM, "default/" + name)
                .claim(AgentCallTokens.ACTION_CLAIM, action);
    }

    private static String sign(ECKey key, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private HttpResponse<String> logs(String authorization) throws Exception {
        return send(HttpRequest.newBuilder(endpoint("logs")).GET(), authorization);
    }

    private HttpResponse<String> exec(String authorization) throws Exception {
        return send(HttpRequest.newBuilder(endpoint("exec")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":[\"sh\",\"-c\",\"echo hi\"]}")), authorization);
    }

    private URI endpoint(String action) {
        return agent.endpoint().resolve("/v1/agent/instances/default/" + instance + "/" + action);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String authorization) throws Exception {
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertRefused(HttpResponse<String> r, int status, String code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isEqualTo(message);
    }
}
