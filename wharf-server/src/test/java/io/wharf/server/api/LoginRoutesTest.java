package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.model.Kind;
import io.wharf.server.ControlPlane;
import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.login.LoginAssembly;
import io.wharf.server.auth.login.Totp;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login lane's routes on a real control plane over a real store. */
class LoginRoutesTest {
  @TempDir Path dir;
  Store store;
  ControlPlane server;
  ApiClient api;

  @BeforeEach
  void start() {
    store = TestStores.open(dir);
    server = ControlPlane.start(ServerFixture.settings()
        .withLogin(new LoginAssembly.Settings(Duration.ofHours(1), Duration.ofHours(12), 1_000)), store,
        ServerFixture.tuning());
    api = new ApiClient(server.apiAddress()); // the bootstrap admin
    assertThat(api.post("/v1/auth/principals", "{\"id\": \"user:alice\"}").status()).isEqualTo(201);
    var set = api.put("/v1/auth/users/alice/password", "{\"password\": \"alice-password\"}");
    assertThat(set.status()).as(set.text()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private ApiClient.Response login(String user, String password, String totp) {
    return api.post("/v1/auth/login", "{\"user\": \"" + user + "\", \"password\": \"" + password + "\""
        + (totp == null ? "" : ", \"totp\": \"" + totp + "\"") + "}");
  }

  @Test
  void loginAnswersASignedTokenTheJwtAuthenticatorAccepts() {
    var r = login("alice", "alice-password", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("principal").asText()).isEqualTo("user:alice");
    assertThat(r.json().path("tokenType").asText()).isEqualTo("Bearer");
    Instant expires = Instant.parse(r.json().path("expiresAt").asText());
    assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
    assertThat(server.login().authenticator().verify(r.json().path("token").asText())).isEqualTo(Principal.user("alice"));
  }

  @Test
  void theTokenAnswerIsNotToBeCached() throws Exception {
    HttpResponse<String> r = api.http().send(HttpRequest.newBuilder(api.uri("/v1/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"alice\", \"password\": \"alice-password\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() {
    var wrong = login("alice", "not-her-password", null);
    var unknown = login("mallory", "whatever-pw", null);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.text()).isEqualTo(unknown.text())
        .isEqualTo("{\"error\":{\"code\":\"unauthenticated\",\"message\":\"wrong user name, password or code\"}}");
  }

  @Test
  void theSixthAttemptAfterFiveFailuresIs429WithRetryAfter() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(login("alice", "guess-" + i, null).status()).isEqualTo(401);
    }
    HttpResponse<String> locked = api.http().send(HttpRequest.newBuilder(api.uri("/v1/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"alice\", \"password\": \"alice-password\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).hasValueSatisfying(
        v -> assertThat(Integer.parseInt(v)).isBetween(1, 30));
    assertThat(ApiClient.parse(locked.body()).path("error").path("code").asText()).isEqualTo("too_many_requests");
  }

  @Test
  void aMalformedLoginRequestNamesEveryBadField() {
    var r = api.post("/v1/auth/login", "{\"user\": \"Alice!\", \"password\": 7, \"totp\": \"12ab\", \"ttl\": \"soon\", "
        + "\"extra\": true}");
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.errorMessage()).isEqualTo("login request has 5 problems");
    assertThat(r.json().path("error").path("problems").toString()).contains(
        "{\"path\":\"extra\",\"reason\":\"unknown field\"}",
        "{\"path\":\"password\",\"reason\":\"must be a string\"}",
        "{\"path\":\"totp\",\"reason\":\"must be 6 digits\"}",
        "{\"path\":\"ttl\",\"reason\":\"must be a positive duration like \\\"30m\\\", got \\\"soon\\\"\"}");
    var tooLong = api.post("/v1/auth/login", "{\"user\": \"alice\", \"password\": \"alice-password\", \"ttl\": \"13h\"}");
    assertThat(tooLong.json().path("error").path("problems").get(0).path("reason").asText())
        .isEqualTo("must be at most 12h");
  }

  @Test
  void totpEnrolmentIsShownOnceAndThenEveryLoginNeedsAFreshCode() {
    var enrol = api.post("/v1/auth/users/alice/totp", "");
    assertThat(enrol.status()).as(enrol.text()).isEqualTo(201);
    String secret = enrol.json().path("secret").asText();
    assertThat(enrol.json().path("uri").asText()).isEqualTo(Totp.uri("Wharf", "alice", secret));
    var again = api.post("/v1/auth/users/alice/totp", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.text()).doesNotContain(secret);

    assertThat(login("alice", "alice-password", null).status()).isEqualTo(401);
    String code = Totp.code(secret, Totp.step(Instant.now()));
    assertThat(login("alice", "alice-password", code).status()).isEqualTo(200);
    var replay = login("alice", "alice-password", code);
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.errorMessage()).isEqualTo("wrong user name, password or code");

    assertThat(api.delete("/v1/auth/users/alice/totp").status()).isEqualTo(200);
    assertThat(login("alice", "alice-password", null).status()).isEqualTo(200);
  }

  @Test
  void passwordsAreCheckedAndNeverEchoed() {
    var noSuchUser = api.put("/v1/auth/users/bob/password", "{\"password\": \"long-enough\"}");
    assertThat(noSuchUser.status()).isEqualTo(404);
    assertThat(noSuchUser.errorMessage()).isEqualTo("principal \"user:bob\" not found; create it first (wharf user create bob)");
    assertThat(api.post("/v1/auth/principals", "{\"id\": \"user:bob\"}").status()).isEqualTo(201);
    var short_ = api.put("/v1/auth/users/bob/password", "{\"password\": \"short\"}");
    assertThat(short_.status()).isEqualTo(422);
    assertThat(short_.json().path("error").path("problems").get(0).path("reason").asText())
        .isEqualTo("must be at least 8 characters");
    var badName = api.put("/v1/auth/users/Bob%20X/password", "{\"password\": \"long-enough\"}");
    assertThat(badName.status()).isEqualTo(400);
    var set = api.put("/v1/auth/users/bob/password", "{\"password\": \"long-enough\"}");
    assertThat(set.text()).isEqualTo("{\"user\":\"bob\",\"password\":\"set\"}");
    assertThat(api.post("/v1/auth/users/nobody/totp", "").status()).isEqualTo(404);
  }

  @Test
  void theJwksServesPublicKeysAndRotationKeepsOldTokensValid() {
    String before = login("alice", "alice-password", null).json().path("token").asText();
    JsonNode jwks = api.get("/v1/auth/jwks").json();
    assertThat(jwks.path("keys")).hasSize(1);
    String oldKid = jwks.path("keys").get(0).path("kid").asText();
    assertThat(jwks.path("keys").get(0).path("alg").asText()).isEqualTo("ES256");
    assertThat(jwks.path("keys").get(0).has("d")).isFalse();

    var rotated = api.post("/v1/auth/keys/rotate", "");
    assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
    String newKid = rotated.json().path("kid").asText();
    assertThat(rotated.json().path("previousKeysValidFor").asText()).isEqualTo("12h");
    assertThat(api.get("/v1/auth/jwks").json().path("keys").findValuesAsText("kid")).containsExactly(newKid, oldKid);

    String after = login("alice", "alice-password", null).json().path("token").asText();
    assertThat(server.login().authenticator().verify(before)).isEqualTo(Principal.user("alice"));
    assertThat(server.login().authenticator().verify(after)).isEqualTo(Principal.user("alice"));
    assertThat(header(after).path("kid").asText()).isEqualTo(newKid);
    assertThat(header(before).path("kid").asText()).isEqualTo(oldKid);
  }

  private static JsonNode header(String token) {
    return ApiClient.parse(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0])));
  }

  @Test
  void anInstanceTokenIsOnlyForTheAgentOfItsNode() {
    var created = api.post("/v1/namespaces/default/instances",
        Samples.json(Samples.of(Kind.INSTANCE, "default", "web-1")));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    var notANode = api.post("/v1/namespaces/default/instances/web-1/token", ""); // the admin, not a node
    assertThat(notANode.status()).isEqualTo(403);
    assertThat(notANode.errorMessage()).isEqualTo("only the agent of the instance's node may ask for its token");
    var unknown = api.post("/v1/namespaces/default/instances/nope/token", "");
    assertThat(unknown.status()).isEqualTo(403); // a caller that is no node does not learn what exists
  }

  @Test
  void aTokenOfAnotherServerSigningKeyIsRefusedHere() throws Exception {
    // Two clusters: a token of one is worth nothing in the other (its key id is unknown there).
    try (Store other = TestStores.open(dir.resolve("other"));
        ControlPlane otherServer = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded"), other,
            ServerFixture.tuning())) {
      String foreign = otherServer.login().tokens().issue(Principal.user("alice"), Duration.ofMinutes(5)).token();
      assertThatThrownBy(() -> server.login().authenticator().verify(foreign))
          .isInstanceOf(AuthenticationException.class).hasMessage("unknown key id");
    }
  }
}
