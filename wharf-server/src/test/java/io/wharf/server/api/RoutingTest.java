package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingTest {
  @TempDir Path dir;
  ServerFixture fx;
  ApiClient api;

  @BeforeEach
  void start() {
    fx = ServerFixture.start(dir);
    api = fx.client;
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void healthReportsStoreKindAndRevision() {
    var r = api.get("/v1/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("ok");
    assertThat(r.json().path("store").asText()).isEqualTo("embedded");
    assertThat(r.json().path("revision").asLong()).isEqualTo(fx.store.revision());
  }

  @Test
  void versionNamesTheApi() {
    var r = api.get("/v1/version");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("version").asText()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(r.json().path("api").asText()).isEqualTo("v1");
  }

  @Test
  void unknownRouteIsJsonNotFound() {
    var r = api.get("/nope/at/all");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.errorCode()).isEqualTo("not_found");
    assertThat(r.errorMessage()).isEqualTo("no such route");
  }

  @Test
  void wrongMethodIsJsonMethodNotAllowed() {
    var r = api.send("/v1/health", "POST", "application/json", "{}");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.errorCode()).isEqualTo("method_not_allowed");
  }

  @Test
  void emptyListHasKindRevisionAndNoContinue() {
    var r = api.get("/v1/namespaces/default/services");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("kind").asText()).isEqualTo("ServiceList");
    assertThat(r.json().path("items").size()).isZero();
    assertThat(r.json().path("continue").isNull()).isTrue();
    var nodes = api.get("/v1/nodes");
    assertThat(nodes.status()).isEqualTo(200);
    assertThat(nodes.json().path("kind").asText()).isEqualTo("NodeList");
  }

  @Test
  void fixedRoutesWinOverKindRoutes() {
    assertThat(api.get("/v1/watch?kinds=bogus").status()).isEqualTo(400);
    assertThat(api.get("/v1/plan").status()).isEqualTo(405);
  }

  @Test
  void healthIsUnavailableWhenTheStoreDoesNotAnswer() {
    fx.store.close();
    var r = api.get("/v1/health");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().path("status").asText()).isEqualTo("unavailable");
    assertThat(r.json().path("store").asText()).isEqualTo("embedded");
    var list = api.get("/v1/namespaces/default/services");
    assertThat(list.status()).isEqualTo(503);
    assertThat(list.errorCode()).isEqualTo("unavailable");
  }
}
