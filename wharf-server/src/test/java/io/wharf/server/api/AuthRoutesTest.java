package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.ControlPlane;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.SseReader;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Granting without escalation, tokens for others, revoke taking effect at once on every server. */
class AuthRoutesTest {
  @TempDir Path dir;
  ServerFixture fx;
  ApiClient admin;

  @BeforeEach
  void start() {
    fx = ServerFixture.start(dir);
    admin = fx.client;
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  ApiClient as(String principal, String grants) {
    var created = admin.post("/v1/auth/principals", "{\"id\": \"" + principal + "\"" + (grants.isEmpty() ? "" : ", " + grants) + "}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    var token = admin.post("/v1/auth/tokens", "{\"principal\": \"" + principal + "\"}");
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    return admin.withToken(token.json().path("token").asText());
  }

  /** May manage principals, tokens and roles, and read everything; nothing else. */
  static final String GRANTER = "\"roles\": [\"viewer\"], \"rules\": [{\"namespace\": \"*\", "
      + "\"kinds\": [\"Principal\", \"Token\", \"Role\"], \"verbs\": [\"*\"]}]";

  @Test
  void nobodyGrantsARoleTheyDoNotHold() {
    ApiClient lead = as("user:lead", GRANTER);
    as("user:bob", "");
    var r = lead.put("/v1/auth/grants/user:bob", "{\"roles\": [\"admin\"]}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.errorCode()).isEqualTo("forbidden");
    assertThat(r.errorMessage()).isEqualTo("user:lead may not grant to user:bob: it does not hold * * in namespace *");
    assertThat(admin.get("/v1/auth/principals/user:bob").json().path("roles")).isEmpty();

    var narrower = lead.put("/v1/auth/grants/user:bob", "{\"roles\": [\"viewer\"], \"rules\": [{\"namespace\": "
        + "\"team-*\", \"kinds\": [\"Token\"], \"verbs\": [\"create\"]}]}");
    assertThat(narrower.status()).as(narrower.toString()).isEqualTo(200);
  }

  @Test
  void nobodyStripsOrDeletesSomeoneWhoHoldsMore() {
    ApiClient lead = as("user:lead", GRANTER);
    var strip = lead.put("/v1/auth/grants/user:admin", "{\"roles\": []}");
    assertThat(strip.status()).isEqualTo(403);
    assertThat(strip.errorMessage()).isEqualTo(
        "user:lead may not change the grants of user:admin, who holds more: it does not hold * * in namespace *");
    var delete = lead.delete("/v1/auth/principals/user:admin");
    assertThat(delete.status()).isEqualTo(403);
    assertThat(delete.errorMessage()).isEqualTo(
        "user:lead may not delete user:admin, who holds more: it does not hold * * in namespace *");
    assertThat(admin.get("/v1/auth/principals/user:admin").json().path("roles").toString()).isEqualTo("[\"admin\"]");
  }

  @Test
  void nobodyWritesARuleBeyondWhatTheyHold() {
    ApiClient lead = as("user:lead", GRANTER);
    var r = lead.post("/v1/auth/principals", "{\"id\": \"user:carol\", \"rules\": [{\"namespace\": \"prod\", "
        + "\"kinds\": [\"Service\", \"Secret\"], \"verbs\": [\"get\", \"delete\", \"reveal\"]}]}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.errorMessage()).isEqualTo("user:lead may not grant to user:carol: it does not hold delete Secret in "
        + "namespace prod; reveal Secret in namespace prod; delete Service in namespace prod; reveal Service in namespace prod");
    assertThat(admin.get("/v1/auth/principals/user:carol").status()).isEqualTo(404);

    var role = lead.post("/v1/auth/roles", "{\"name\": \"deployer\", \"rules\": [{\"namespace\": \"*\", "
        + "\"kinds\": [\"Service\"], \"verbs\": [\"create\"]}]}");
    assertThat(role.status()).isEqualTo(403);
    assertThat(role.errorMessage()).isEqualTo("user:lead may not grant role deployer: it does not hold create Service "
        + "in namespace *");
  }

  @Test
  void aTokenForSomeoneElseNeedsEverythingTheyHold() {
    ApiClient lead = as("user:lead", GRANTER);
    var r = lead.post("/v1/auth/tokens", "{\"principal\": \"user:admin\"}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.errorMessage()).isEqualTo("user:lead may not grant a token of user:admin: it does not hold * * in namespace *");
    var node = lead.post("/v1/auth/tokens", "{\"principal\": \"node:n1\"}");
    assertThat(node.status()).isEqualTo(403);
    assertThat(node.errorMessage()).startsWith("user:lead may not grant a token of node:n1: it does not hold ")
        .contains("update Instance in namespace *");
    var own = lead.post("/v1/auth/tokens", "{\"expires\": \"1h\"}");
    assertThat(own.status()).as(own.toString()).isEqualTo(201);
    assertThat(own.json().path("principal").asText()).isEqualTo("user:lead");
  }

  @Test
  void aNodeTokenCreatesTheNodePrincipalWhichHoldsTheNodeRole() {
    var r = admin.post("/v1/auth/tokens", "{\"principal\": \"node:n7\", \"description\": \"agent n7\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    ApiClient node = admin.withToken(r.json().path("token").asText());
    assertThat(node.get("/v1/auth/whoami").json().path("roles").toString()).isEqualTo("[\"node\"]");
    assertThat(node.get("/v1/namespaces/default/instances").status()).isEqualTo(200);
    var denied = node.post("/v1/namespaces/default/services", "{}");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.errorMessage()).isEqualTo("node:n7 may not create Service in namespace default");
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceByEveryServer() throws Exception {
    var created = admin.post("/v1/auth/tokens", "{\"principal\": \"user:admin\", \"description\": \"ci\"}");
    String token = created.json().path("token").asText();
    String id = created.json().path("id").asText();
    try (ControlPlane other = ControlPlane.start(ServerFixture.settings(), fx.store, ServerFixture.tuning())) {
      ApiClient here = admin.withToken(token);
      ApiClient there = new ApiClient(other.apiAddress(), token);
      assertThat(here.get("/v1/namespaces").status()).isEqualTo(200);
      assertThat(there.get("/v1/namespaces").status()).isEqualTo(200);

      assertThat(admin.delete("/v1/auth/tokens/" + id).status()).isEqualTo(200);

      for (ApiClient c : new ApiClient[] {here, there}) {
        var r = c.get("/v1/namespaces");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errorMessage()).isEqualTo("token revoked");
      }
      var listed = admin.get("/v1/auth/tokens?principal=user:admin").json().path("items");
      assertThat(listed.findValuesAsText("id")).contains(id);
    }
  }

  @Test
  void anOpenWatchEndsWithinAKeepAliveOnceItsTokenIsRevoked() {
    var created = admin.post("/v1/auth/tokens", "{\"description\": \"watcher\"}");
    String token = created.json().path("token").asText();
    try (SseReader sse = new SseReader(admin.http(), admin.uri("/v1/watch?kinds=services"),
        java.util.Map.of("Authorization", "Bearer " + token))) {
      org.awaitility.Awaitility.await().until(() -> sse.status() == 200);
      assertThat(admin.delete("/v1/auth/tokens/" + created.json().path("id").asText()).status()).isEqualTo(200);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(sse::ended);
      assertThat(sse.events("closed")).singleElement().extracting(SseReader.Event::data)
          .isEqualTo("{\"reason\":\"unauthenticated\",\"message\":\"token revoked\"}");
    }
  }

  @Test
  void badRulesAreRefusedWithTheirPaths() {
    var r = admin.post("/v1/auth/principals", "{\"id\": \"user:dave\", \"roles\": [\"nope\"], \"rules\": "
        + "[{\"namespace\": \"Prod!\", \"kinds\": [\"Spaceship\"], \"verbs\": [\"fly\"]}]}");
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().path("error").path("problems").toString()).isEqualTo("[{\"path\":\"roles[0]\",\"reason\":"
        + "\"no role \\\"nope\\\"\"},{\"path\":\"rules[0].namespace\",\"reason\":\"\\\"Prod!\\\" is not a namespace or a glob "
        + "of one\"},{\"path\":\"rules[0].kinds\",\"reason\":\"unknown kind \\\"Spaceship\\\" (known: * and Namespace, Stack, "
        + "Service, Job, CronJob, Route, Config, Secret, Endpoint, Node, Instance, Event, Principal, Role, Token, Cluster, AuditEntry)\"},"
        + "{\"path\":\"rules[0].verbs\",\"reason\":\"unknown verb \\\"fly\\\" (known: * and get, list, watch, create, update, "
        + "delete, reveal, exec)\"}]");
    var expiry = admin.post("/v1/auth/tokens", "{\"expires\": \"soon\"}");
    assertThat(expiry.status()).isEqualTo(422);
    assertThat(expiry.json().path("error").path("problems").get(0).path("reason").asText())
        .isEqualTo("\"soon\" is neither a duration (e.g. 30d, 12h) nor a time (e.g. 2027-01-31T00:00:00Z)");
  }
}
