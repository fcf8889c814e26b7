package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.api.RouteTable.Route;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ManualClock;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of the server's route table × every kind of credential: none, expired, garbage,
 * revoked, a principal whose rules do not cover the request, and a principal granted exactly what
 * the request needs (nothing more). The routes come from the table itself, and a route without a
 * sample request here fails {@link #everyRouteOfTheTableHasASampleRequest}, so no route escapes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthMatrixTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "default";

  ManualClock clock;
  ServerFixture fx;
  ApiClient admin;
  String expired;
  String revoked;
  String elsewhere;
  String badSignature;
  final HttpClient http = HttpClient.newHttpClient();

  /** One request per route, and the rules that suffice for exactly that request. */
  record Sample(String method, String path, String body, String contentType, List<Map<String, Object>> rules,
      int expected, String principal) {
    Sample(String method, String path, String body, String contentType, List<Map<String, Object>> rules, int expected) {
      this(method, path, body, contentType, rules, expected, null);
    }
  }

  static Map<String, Object> rule(String namespace, String kinds, String verbs) {
    return Map.of("namespace", namespace, "kinds", List.of(kinds.split(",")), "verbs", List.of(verbs.split(",")));
  }

  static Sample sample(String method, String path, String body, int expected, Map<String, Object>... rules) {
    return new Sample(method, path, body, body == null ? null : "application/json", List.of(rules), expected);
  }

  static final String STACK = "stack: matrix\nnamespace: default\nservices:\n  shopfront:\n    command: [\"/bin/sleep\", \"1000\"]\n    replicas: 1\n";

  /** Keyed by the route table's "METHOD path". */
  static Map<String, Sample> samples() {
    String service = new String(ResourceCodec.toJson(Samples.service(NS, "fresh", 1)), StandardCharsets.UTF_8);
    String replaced = new String(ResourceCodec.toJson(Samples.service(NS, "web", 1)), StandardCharsets.UTF_8);
    String node = new String(ResourceCodec.toJson(Samples.of(io.wharf.model.Kind.NODE, null, "fresh-node")),
        StandardCharsets.UTF_8);
    Map<String, Sample> m = new LinkedHashMap<>();
    m.put("GET /v1/health", sample("GET", "/v1/health", null, 200));
    m.put("GET /v1/version", sample("GET", "/v1/version", null, 200));
    m.put("POST /v1/auth/login", sample("POST", "/v1/auth/login", "{}", 422));
    m.put("GET /v1/auth/jwks", sample("GET", "/v1/auth/jwks", null, 200));
    m.put("POST /v1/auth/keys/rotate", sample("POST", "/v1/auth/keys/rotate", "{}", 200, rule("*", "Cluster", "update")));
    m.put("PUT /v1/auth/users/{user}/password", sample("PUT", "/v1/auth/users/target/password",
        "{\"password\": \"long-enough-password\"}", 200, rule("*", "Principal", "update")));
    m.put("POST /v1/auth/users/{user}/totp", sample("POST", "/v1/auth/users/target/totp", "{}", 201,
        rule("*", "Principal", "update")));
    m.put("DELETE /v1/auth/users/{user}/totp", sample("DELETE", "/v1/auth/users/target/totp", null, 200,
        rule("*", "Principal", "update")));
    // only a node's agent gets an instance's token: the sufficient caller is a node (404: no such instance)
    m.put("POST /v1/namespaces/{ns}/instances/{name}/token", new Sample("POST",
        "/v1/namespaces/default/instances/nope/token", "{}", "application/json", List.of(), 404, "node:n1"));
    // The TLS lane's routes; this server is plain HTTP, so joining and creating join tokens are 409.
    m.put("POST /v1/agent/join", sample("POST", "/v1/agent/join", "{}", 409));
    m.put("POST /v1/join-tokens", sample("POST", "/v1/join-tokens", "{}", 409, rule("*", "Token", "create")));
    m.put("GET /v1/join-tokens", sample("GET", "/v1/join-tokens", null, 200, rule("*", "Token", "list")));
    m.put("DELETE /v1/join-tokens/{id}", sample("DELETE", "/v1/join-tokens/00000000", null, 404,
        rule("*", "Token", "delete")));
    m.put("GET /v1/auth/whoami", sample("GET", "/v1/auth/whoami", null, 200));
    m.put("GET /v1/auth/principals", sample("GET", "/v1/auth/principals", null, 200, rule("*", "Principal", "list")));
    m.put("POST /v1/auth/principals", sample("POST", "/v1/auth/principals", "{\"id\": \"user:fresh\"}", 201,
        rule("*", "Principal", "create")));
    m.put("GET /v1/auth/principals/<id>", sample("GET", "/v1/auth/principals/user:target", null, 200,
        rule("*", "Principal", "get")));
    m.put("DELETE /v1/auth/principals/<id>", sample("DELETE", "/v1/auth/principals/user:doomed", null, 200,
        rule("*", "Principal", "delete")));
    m.put("PUT /v1/auth/grants/<id>", sample("PUT", "/v1/auth/grants/user:target", "{\"roles\": []}", 200,
        rule("*", "Principal", "update")));
    m.put("GET /v1/auth/roles", sample("GET", "/v1/auth/roles", null, 200, rule("*", "Role", "list")));
    m.put("POST /v1/auth/roles", sample("POST", "/v1/auth/roles",
        "{\"name\": \"fresh\", \"rules\": [{\"namespace\": \"*\", \"kinds\": [\"Role\"], \"verbs\": [\"create\"]}]}", 201,
        rule("*", "Role", "create")));
    m.put("PUT /v1/auth/roles/{name}", sample("PUT", "/v1/auth/roles/existing",
        "{\"rules\": [{\"namespace\": \"*\", \"kinds\": [\"Role\"], \"verbs\": [\"update\"]}]}", 200,
        rule("*", "Role", "update")));
    m.put("DELETE /v1/auth/roles/{name}", sample("DELETE", "/v1/auth/roles/doomed", null, 200,
        rule("*", "Role", "delete")));
    m.put("GET /v1/auth/tokens", sample("GET", "/v1/auth/tokens", null, 200, rule("*", "Token", "list")));
    m.put("POST /v1/auth/tokens", sample("POST", "/v1/auth/tokens", "{\"description\": \"mine\"}", 201,
        rule("*", "Token", "create")));
    m.put("DELETE /v1/auth/tokens/{id}", sample("DELETE", "/v1/auth/tokens/000000000000", null, 404,
        rule("*", "Token", "delete")));
    m.put("POST /v1/nodes/{name}/drain", sample("POST", "/v1/nodes/n1/drain", "{\"drain\": true}", 200,
        rule("*", "Node", "update")));
    m.put("POST /v1/nodes/{name}/eligibility", sample("POST", "/v1/nodes/n1/eligibility", "{\"eligible\": true}", 200,
        rule("*", "Node", "update")));
    m.put("GET /v1/node-usage", sample("GET", "/v1/node-usage", null, 200, rule("*", "Node", "list")));
    m.put("POST /v1/namespaces/{ns}/services/{name}/rebalance", sample("POST",
        "/v1/namespaces/default/services/web/rebalance", "{}", 202, rule(NS, "Service", "update")));
    m.put("POST /v1/namespaces/{ns}/cronjobs/{name}/trigger", sample("POST",
        "/v1/namespaces/default/cronjobs/nightly/trigger", "{}", 404, rule(NS, "CronJob", "update")));
    m.put("POST /v1/namespaces/{ns}/cronjobs/{name}/suspend", sample("POST",
        "/v1/namespaces/default/cronjobs/nightly/suspend", "{}", 404, rule(NS, "CronJob", "update")));
    m.put("POST /v1/namespaces/{ns}/cronjobs/{name}/resume", sample("POST",
        "/v1/namespaces/default/cronjobs/nightly/resume", "{}", 404, rule(NS, "CronJob", "update")));
    m.put("POST /v1/namespaces/{ns}/jobs/{name}/run", sample("POST", "/v1/namespaces/default/jobs/batch/run", "{}",
        404, rule(NS, "Job", "update")));
    m.put("GET /v1/namespaces/{ns}/services/{name}/rollout", sample("GET",
        "/v1/namespaces/default/services/web/rollout", null, 200, rule(NS, "Service", "get")));
    m.put("POST /v1/namespaces/{ns}/services/{name}/rollout/promote", sample("POST",
        "/v1/namespaces/default/services/web/rollout/promote", "{}", 409, rule(NS, "Service", "update")));
    m.put("POST /v1/namespaces/{ns}/services/{name}/rollout/undo", sample("POST",
        "/v1/namespaces/default/services/web/rollout/undo", "{}", 409, rule(NS, "Service", "update")));
    m.put("POST /v1/namespaces/{ns}/services/{name}/rollout/restart", sample("POST",
        "/v1/namespaces/default/services/web/rollout/restart", "{}", 202, rule(NS, "Service", "update")));
    m.put("GET /v1/discovery", sample("GET", "/v1/discovery", null, 200, rule("*", "Service", "list")));
    m.put("GET /v1/namespaces/{ns}/services/{name}/endpoints", sample("GET",
        "/v1/namespaces/default/services/web/endpoints", null, 200, rule(NS, "Service", "get")));
    m.put("GET /v1/namespaces/{ns}/secrets/{name}/value", sample("GET",
        "/v1/namespaces/default/secrets/nope/value", null, 404, rule(NS, "Secret", "reveal")));
    m.put("GET /v1/namespaces/{ns}/configs/{name}/revisions/{revision}", sample("GET",
        "/v1/namespaces/default/configs/nope/revisions/5", null, 404, rule(NS, "Config", "get")));
    m.put("GET /v1/namespaces/{ns}/secrets/{name}/revisions/{revision}/value", sample("GET",
        "/v1/namespaces/default/secrets/nope/revisions/5/value", null, 404, rule(NS, "Secret", "reveal")));
    m.put("POST /v1/secrets/rotate-key", sample("POST", "/v1/secrets/rotate-key", "{}", 200,
        rule("*", "Secret", "update")));
    m.put("GET /v1/cluster/leader", sample("GET", "/v1/cluster/leader", null, 200, rule("*", "Cluster", "get")));
    m.put("GET /v1/servers", sample("GET", "/v1/servers", null, 200, rule("*", "Cluster", "list")));
    m.put("GET /v1/audit", sample("GET", "/v1/audit", null, 200, rule("*", "AuditEntry", "list")));
    m.put("GET /v1/watch", sample("GET", "/v1/watch?kinds=services&namespace=default", null, 200,
        rule(NS, "Service", "watch")));
    m.put("POST /v1/plan", new Sample("POST", "/v1/plan", STACK, "application/yaml",
        List.of(rule(NS, "Stack,Service", "get")), 200));
    m.put("POST /v1/apply", new Sample("POST", "/v1/apply", STACK, "application/yaml",
        List.of(rule(NS, "Stack,Service", "get,create")), 200));
    m.put("POST /v1/delete", new Sample("POST", "/v1/delete", STACK, "application/yaml",
        List.of(rule(NS, "Stack,Service", "delete")), 200));
    m.put("POST /v1/nodes/heartbeats", sample("POST", "/v1/nodes/heartbeats", "{\"nodes\": []}", 200,
        rule("*", "Node", "update")));
    m.put("POST /v1/nodes/{name}/heartbeat", sample("POST", "/v1/nodes/n1/heartbeat", "{}", 200,
        rule("*", "Node", "update")));
    m.put("POST /v1/instances/status", sample("POST", "/v1/instances/status", "{\"items\": []}", 200,
        rule("*", "Instance", "update")));
    m.put("GET /v1/namespaces/{ns}/instances/{name}/logs", sample("GET",
        "/v1/namespaces/default/instances/nope/logs", null, 404, rule(NS, "Instance", "get")));
    m.put("POST /v1/namespaces/{ns}/instances/{name}/exec", sample("POST",
        "/v1/namespaces/default/instances/nope/exec", "{\"command\": [\"true\"]}", 404, rule(NS, "Instance", "exec")));
    m.put("GET /v1/namespaces/{ns}/{plural}", sample("GET", "/v1/namespaces/default/services", null, 200,
        rule(NS, "Service", "list")));
    m.put("POST /v1/namespaces/{ns}/{plural}", sample("POST", "/v1/namespaces/default/services", service, 201,
        rule(NS, "Service", "create")));
    m.put("GET /v1/namespaces/{ns}/{plural}/{name}", sample("GET", "/v1/namespaces/default/services/web", null, 200,
        rule(NS, "Service", "get")));
    m.put("PUT /v1/namespaces/{ns}/{plural}/{name}", sample("PUT", "/v1/namespaces/default/services/web", replaced,
        200, rule(NS, "Service", "update")));
    m.put("DELETE /v1/namespaces/{ns}/{plural}/{name}", sample("DELETE", "/v1/namespaces/default/services/doomed",
        null, 200, rule(NS, "Service", "delete")));
    m.put("PUT /v1/namespaces/{ns}/{plural}/{name}/status", sample("PUT",
        "/v1/namespaces/default/services/web/status", "{\"status\": {}}", 422, rule(NS, "Service", "update")));
    m.put("GET /v1/{plural}", sample("GET", "/v1/nodes", null, 200, rule("*", "Node", "list")));
    m.put("POST /v1/{plural}", sample("POST", "/v1/nodes", node, 201, rule("*", "Node", "create")));
    m.put("GET /v1/{plural}/{name}", sample("GET", "/v1/nodes/n1", null, 200, rule("*", "Node", "get")));
    m.put("PUT /v1/{plural}/{name}", sample("PUT", "/v1/nodes/n1", null, 415, rule("*", "Node", "update")));
    m.put("DELETE /v1/{plural}/{name}", sample("DELETE", "/v1/nodes/doomed", null, 200, rule("*", "Node", "delete")));
    m.put("PUT /v1/{plural}/{name}/status", sample("PUT", "/v1/nodes/n1/status", null, 415,
        rule("*", "Node", "update")));
    return m;
  }

  enum Credential { NONE, EXPIRED, GARBAGE, BAD_SIGNATURE, ALG_NONE, REVOKED, INSUFFICIENT, SUFFICIENT }

  @BeforeAll
  void start(@TempDir Path dir) {
    clock = new ManualClock();
    fx = ServerFixture.start(TestStores.open(dir), ServerFixture.tuning().withClock(clock));
    admin = fx.client;
    expired = token(user("expired", List.of(rule("*", "*", "*"))), "\"expires\": \"1h\"");
    clock.advance(Duration.ofHours(2));
    String toRevoke = token(user("revoked", List.of(rule("*", "*", "*"))), null);
    JsonNode listed = admin.get("/v1/auth/tokens?principal=user:revoked").json().path("items").get(0);
    assertThat(admin.delete("/v1/auth/tokens/" + listed.path("id").asText()).status()).isEqualTo(200);
    revoked = toRevoke;
    elsewhere = token(user("elsewhere", List.of(rule("elsewhere", "*", "*"))), null);
    badSignature = foreignSignature();
    // what the sufficient requests act on
    assertThat(admin.post("/v1/namespaces/default/services",
        new String(ResourceCodec.toJson(Samples.service(NS, "web", 1)), StandardCharsets.UTF_8)).status()).isEqualTo(201);
    assertThat(admin.put("/v1/nodes/n1", new String(ResourceCodec.toJson(Samples.of(io.wharf.model.Kind.NODE, null,
        "n1")), StandardCharsets.UTF_8)).status()).isIn(200, 201);
    user("target", List.of());
    user("doomed", List.of());
    // roles whose rules the principals changing or deleting them hold (no escalation by removal)
    assertThat(admin.post("/v1/auth/roles", "{\"name\": \"doomed\", \"rules\": [{\"namespace\": \"*\", "
        + "\"kinds\": [\"Role\"], \"verbs\": [\"delete\"]}]}").status()).isEqualTo(201);
    assertThat(admin.post("/v1/namespaces/default/services",
        new String(ResourceCodec.toJson(Samples.service(NS, "doomed", 1)), StandardCharsets.UTF_8)).status())
        .isEqualTo(201);
    assertThat(admin.put("/v1/nodes/doomed", new String(ResourceCodec.toJson(Samples.of(io.wharf.model.Kind.NODE, null,
        "doomed")), StandardCharsets.UTF_8)).status()).isIn(200, 201);
    assertThat(admin.post("/v1/auth/roles", "{\"name\": \"existing\", \"rules\": [{\"namespace\": \"*\", "
        + "\"kinds\": [\"Role\"], \"verbs\": [\"update\"]}]}").status()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    fx.close();
  }

  /** A JWT naming the server's signing key but signed with another key. */
  String foreignSignature() {
    org.awaitility.Awaitility.await().until(() -> admin.get("/v1/auth/jwks").json().path("keys").size() > 0);
    String kid = admin.get("/v1/auth/jwks").json().path("keys").get(0).path("kid").asText();
    try {
      var foreign = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID(kid).generate();
      var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
          .keyID(kid).build(), new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("user:admin")
          .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(600))).build());
      jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(foreign));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates {@code user:NAME} with {@code rules}; returns its id. */
  String user(String name, List<Map<String, Object>> rules) {
    try {
      String body = JSON.writeValueAsString(Map.of("id", "user:" + name, "rules", rules));
      var r = admin.post("/v1/auth/principals", body);
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      return "user:" + name;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  String token(String principal, String extra) {
    var r = admin.post("/v1/auth/tokens", "{\"principal\": \"" + principal + "\"" + (extra == null ? "" : ", " + extra) + "}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().path("token").asText();
  }

  Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    Map<String, Sample> samples = samples();
    for (Route route : fx.server.routes()) {
      Sample s = samples.get(route.method() + " " + route.path());
      if (s == null) {
        continue; // everyRouteOfTheTableHasASampleRequest fails for it
      }
      for (Credential c : Credential.values()) {
        out.add(Arguments.of(Named.of(route.method() + " " + route.path() + " [" + route.access() + "]", route),
            Named.of(c.name().toLowerCase(), c)));
      }
    }
    return out.stream();
  }

  @Test
  void everyRouteOfTheTableHasASampleRequest() {
    List<String> missing = fx.server.routes().stream().map(r -> r.method() + " " + r.path())
        .filter(k -> !samples().containsKey(k)).toList();
    assertThat(missing).as("routes of the table without a sample in AuthMatrixTest").isEmpty();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("cases")
  void statusIsExactlyWhatTheCredentialEarns(Route route, Credential credential) {
    Sample s = samples().get(route.method() + " " + route.path());
    boolean anonymous = route.access().equals("anonymous");
    boolean anyPrincipal = route.access().equals("any authenticated principal");
    String bearer = switch (credential) {
      case NONE -> null;
      case EXPIRED -> expired;
      case GARBAGE -> "wharf_" + "x".repeat(43);
      case BAD_SIGNATURE -> badSignature;
      case ALG_NONE -> "eyJhbGciOiJub25lIn0.e30.";
      case REVOKED -> revoked;
      case INSUFFICIENT -> elsewhere;
      case SUFFICIENT -> s.principal() != null ? token(s.principal(), null)
          : s.rules().isEmpty() ? admin.token() : token(user("exact-" + Integer.toHexString(
          (route.method() + route.path()).hashCode()), s.rules()), null);
    };
    Answer a = send(s, bearer);
    if (anonymous) {
      assertThat(a.status).as(a.toString()).isEqualTo(s.expected());
      return;
    }
    switch (credential) {
      case NONE -> assertUnauthenticated(a, "no credentials");
      case EXPIRED -> assertUnauthenticated(a, "token expired");
      case GARBAGE -> assertUnauthenticated(a, "bad token");
      case BAD_SIGNATURE -> assertUnauthenticated(a, "bad signature");
      case ALG_NONE -> assertUnauthenticated(a, "algorithm none refused");
      case REVOKED -> assertUnauthenticated(a, "token revoked");
      case INSUFFICIENT -> {
        if (anyPrincipal) {
          assertThat(a.status).as(a.toString()).isEqualTo(s.expected());
        } else {
          assertThat(a.status).as(a.toString()).isEqualTo(403);
          assertThat(a.json.path("error").path("code").asText()).isEqualTo("forbidden");
          assertThat(a.json.path("error").path("message").asText()).startsWith("user:elsewhere may not ");
        }
      }
      case SUFFICIENT -> assertThat(a.status).as(a.toString()).isEqualTo(s.expected());
    }
  }

  private static void assertUnauthenticated(Answer a, String message) {
    assertThat(a.status).as(a.toString()).isEqualTo(401);
    assertThat(a.json.path("error").path("code").asText()).as(a.toString()).isEqualTo("unauthenticated");
    assertThat(a.json.path("error").path("message").asText()).as(a.toString()).isEqualTo(message);
  }

  record Answer(int status, JsonNode json, String text) {
    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  /** Sends without reading an event stream to its end (a watch answers 200 and stays open). */
  private Answer send(Sample s, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(fx.client.uri(s.path())).timeout(Duration.ofSeconds(30))
        .method(s.method(), s.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(s.body()));
    if (s.contentType() != null) {
      b.header("Content-Type", s.contentType());
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    try {
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
          return new Answer(r.statusCode(), JSON.createObjectNode(), "(event stream)");
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        JsonNode json;
        try {
          json = text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
          json = JSON.createObjectNode();
        }
        return new Answer(r.statusCode(), json, text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
