package io.wharf.server.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.ResourceRef;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Nodes;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.SseReader;
import io.wharf.server.fixture.TestStores;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentApiTest {
  @TempDir Path dir;
  ServerFixture f;
  ApiClient api;

  @BeforeEach
  void start() {
    f = ServerFixture.start(TestStores.open(dir), ServerFixture.tuning());
    api = f.client;
  }

  @AfterEach
  void stop() {
    f.close();
  }

  static String instance(String ns, String name, String node) {
    return Samples.json(new Instance(Metadata.of(name, ns), new InstanceSpec(new ResourceRef(Kind.SERVICE, ns, "web"),
        1, node, List.of(Samples.task()), Map.of())));
  }

  void createInstance(String ns, String name, String node) {
    ApiClient.Response r = api.post("/v1/namespaces/" + ns + "/instances", instance(ns, name, node));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  static List<String> names(JsonNode list) {
    List<String> out = new java.util.ArrayList<>();
    list.path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }

  @Test
  void heartbeatOfAnUnknownNodeIsNotFound() {
    ApiClient.Response r = api.post("/v1/nodes/ghost/heartbeat", "");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.errorMessage()).isEqualTo("Node \"ghost\" is not registered");
  }

  @Test
  void firstHeartbeatMarksTheNodeReadyAndAttachesItsLeaseKey() {
    Nodes.register(api, Nodes.node("n1", null));
    assertThat(api.get("/v1/nodes/n1").json().path("status").path("state").asText()).isEqualTo("down");

    ApiClient.Response beat = api.post("/v1/nodes/n1/heartbeat", "");

    assertThat(beat.status()).isEqualTo(200);
    assertThat(beat.json().path("ttl").asText()).isEqualTo("15s");
    assertThat(beat.json().path("state").asText()).isEqualTo("ready");
    assertThat(api.get("/v1/nodes/n1").json().path("status").path("state").asText()).isEqualTo("ready");
    assertThat(f.store.get(NodeLiveness.leaseKey("n1"))).hasValueSatisfying(kv -> assertThat(kv.lease().isNone()).isFalse());
    assertThat(api.get("/v1/events?involved=Node/n1").json().path("items").findValuesAsText("reason"))
        .contains("NodeReady");
    long revision = f.store.revision();
    assertThat(api.post("/v1/nodes/n1/heartbeat", "").json().path("state").asText()).isEqualTo("ready");
    assertThat(f.store.revision()).as("a beat of a ready node writes nothing").isEqualTo(revision);
  }

  @Test
  void instancesListFiltersByNode() {
    createInstance("shop", "web-aaaaa", "n1");
    createInstance("shop", "web-bbbbb", "n2");
    createInstance("other", "web-ccccc", "n1");

    assertThat(names(api.get("/v1/instances?node=n1").json())).containsExactly("web-ccccc", "web-aaaaa");
    assertThat(names(api.get("/v1/namespaces/shop/instances?node=n1").json())).containsExactly("web-aaaaa");
    ApiClient.Response bad = api.get("/v1/services?node=n1");
    assertThat(bad.status()).isEqualTo(400);
  }

  @Test
  void nodeWatchGetsItsInstancesAndTheirDeletionOnly() {
    try (SseReader sse = new SseReader(api.http(), api.uri("/v1/watch?kinds=instances&node=n1"), Map.of())) {
      await().until(() -> sse.comments().contains("watching"));
      createInstance("shop", "web-aaaaa", "n1");
      createInstance("shop", "web-bbbbb", "n2");
      assertThat(api.delete("/v1/namespaces/shop/instances/web-bbbbb").status()).isEqualTo(200);
      assertThat(api.delete("/v1/namespaces/shop/instances/web-aaaaa").status()).isEqualTo(200);

      await().until(() -> sse.events("DELETE").size() == 1);
      assertThat(sse.events()).extracting(SseReader.Event::event).containsExactly("PUT", "DELETE");
      assertThat(sse.events()).allSatisfy(e ->
          assertThat(ApiClient.parse(e.data()).path("object").path("metadata").path("name").asText())
              .isEqualTo("web-aaaaa"));
    }
  }

  @Test
  void statusBatchCommitsOnceWithOneEventPerStateChange() {
    createInstance("shop", "web-aaaaa", "n1");
    createInstance("shop", "web-bbbbb", "n1");
    long before = f.store.revision();

    ApiClient.Response r = api.post("/v1/instances/status", """
        {"items": [
          {"namespace": "shop", "name": "web-aaaaa", "status": {"state": "running", "health": "healthy", "restarts": 0}},
          {"namespace": "shop", "name": "web-bbbbb", "status": {"state": "failed", "exitCode": 1, "exitReason": "exit code 1"}},
          {"namespace": "shop", "name": "gone-zzzzz", "status": {"state": "running"}}]}""");

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("updated").asInt()).isEqualTo(2);
    assertThat(r.json().path("revision").asLong()).isEqualTo(before + 1);
    assertThat(r.json().path("skipped").findValuesAsText("")).isEmpty();
    assertThat(r.json().path("skipped").get(0).asText()).isEqualTo("shop/gone-zzzzz");
    assertThat(api.get("/v1/namespaces/shop/instances/web-aaaaa").json().path("status").path("state").asText())
        .isEqualTo("running");
    JsonNode failed = api.get("/v1/events?involved=Instance/web-bbbbb").json().path("items");
    assertThat(failed.findValuesAsText("reason")).contains("InstanceFailed");
    assertThat(failed.get(failed.size() - 1).path("spec").path("message").asText()).isEqualTo("exit code 1");
    assertThat(api.get("/v1/events?involved=Instance/web-aaaaa").json().path("items").findValuesAsText("reason"))
        .contains("InstanceRunning");
  }

  @Test
  void batchHeartbeatMarksEveryRegisteredNodeReadyInOneTransactionAndNamesUnknownOnes() {
    Nodes.register(api, Nodes.node("n1", null));
    Nodes.register(api, Nodes.node("n2", null));
    long before = f.store.revision();

    ApiClient.Response r = api.post("/v1/nodes/heartbeats", "{\"nodes\": [\"n1\", \"ghost\", \"n2\"]}");

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("ttl").asText()).isEqualTo("15s");
    assertThat(r.json().path("nodes").toString()).isEqualTo("{\"n1\":\"ready\",\"ghost\":\"not_registered\",\"n2\":\"ready\"}");
    assertThat(f.store.revision()).as("one transaction for both nodes").isEqualTo(before + 1);
    assertThat(api.get("/v1/nodes/n2").json().path("status").path("state").asText()).isEqualTo("ready");
    assertThat(f.store.get(NodeLiveness.leaseKey("n1"))).isPresent();
    long revision = f.store.revision();
    assertThat(api.post("/v1/nodes/heartbeats", "{\"nodes\": [\"n1\", \"n2\"]}").json().path("nodes").toString())
        .isEqualTo("{\"n1\":\"ready\",\"n2\":\"ready\"}");
    assertThat(f.store.revision()).as("beats of ready nodes write nothing").isEqualTo(revision);
  }

  @Test
  void batchHeartbeatRejectsABadBody() {
    ApiClient.Response notAList = api.post("/v1/nodes/heartbeats", "{\"nodes\": \"n1\"}");
    assertThat(notAList.status()).isEqualTo(422);
    assertThat(notAList.json().path("error").path("problems").get(0).path("reason").asText())
        .isEqualTo("must be a list of node names");
    ApiClient.Response badName = api.post("/v1/nodes/heartbeats", "{\"nodes\": [\"Bad_Name\"]}");
    assertThat(badName.status()).isEqualTo(400);
  }

  @Test
  void aBigStatusReportOnTheEmbeddedStoreIsOneTransaction() {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      String name = String.format("web-%05d", i);
      createInstance("shop", name, "n1");
      items.append(i == 0 ? "" : ",").append("{\"namespace\": \"shop\", \"name\": \"").append(name)
          .append("\", \"status\": {\"state\": \"running\"}}");
    }
    long before = f.store.revision();

    ApiClient.Response r = api.post("/v1/instances/status", "{\"items\": [" + items + "]}");

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("updated").asInt()).isEqualTo(50);
    assertThat(r.json().path("revision").asLong()).isEqualTo(before + 1);
    assertThat(api.get("/v1/instances?node=n1").json().path("items").findValuesAsText("state"))
        .hasSize(50).containsOnly("running");
  }

  @Test
  void onAStoreWithEtcdsLimitsABigStatusReportIsSplitIntoTransactionsOf63(@TempDir Path small) {
    var d = io.wharf.store.embedded.EmbeddedStoreOptions.defaults();
    var etcdLike = new io.wharf.store.embedded.EmbeddedStoreOptions(d.clock(), d.historyRetention(),
        d.maintenanceInterval(), d.syncOnCommit(), 128, 1L << 20, d.watchQueueLimit(), d.cacheSizeMb(),
        d.checkpointInterval());
    try (ServerFixture g = ServerFixture.start(io.wharf.store.embedded.EmbeddedStore.open(small, etcdLike),
        ServerFixture.tuning())) {
      StringBuilder items = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        String name = String.format("web-%05d", i);
        ApiClient.Response created = g.client.post("/v1/namespaces/shop/instances", instance("shop", name, "n1"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        items.append(i == 0 ? "" : ",").append("{\"namespace\": \"shop\", \"name\": \"").append(name)
            .append("\", \"status\": {\"state\": \"running\"}}");
      }
      long before = g.store.revision();

      ApiClient.Response r = g.client.post("/v1/instances/status", "{\"items\": [" + items + "]}");

      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().path("updated").asInt()).isEqualTo(100);
      assertThat(r.json().path("revision").asLong()).as("63 + 37 items").isEqualTo(before + 2);
    }
  }

  @Test
  void concurrentReportsAreAllWrittenAndAnsweredEachWithItsOwnCounts() throws Exception {
    for (int i = 0; i < 20; i++) {
      createInstance("shop", String.format("web-%05d", i), "n1");
    }
    List<java.util.concurrent.Future<ApiClient.Response>> answers = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 40; i++) {
        // Two reports per instance (running twice: the second changes nothing), plus one unknown.
        String name = String.format("web-%05d", i % 20);
        String body = "{\"items\": [{\"namespace\": \"shop\", \"name\": \"" + name
            + "\", \"status\": {\"state\": \"running\"}}, {\"namespace\": \"shop\", \"name\": \"gone-" + i
            + "\", \"status\": {\"state\": \"running\"}}]}";
        answers.add(pool.submit(() -> api.post("/v1/instances/status", body)));
      }
    }
    int updated = 0;
    for (int i = 0; i < answers.size(); i++) {
      ApiClient.Response r = answers.get(i).get();
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().path("skipped").get(0).asText()).isEqualTo("shop/gone-" + i);
      updated += r.json().path("updated").asInt();
    }
    assertThat(updated).as("each instance changed once").isEqualTo(20);
    assertThat(api.get("/v1/instances?node=n1").json().path("items").findValuesAsText("state"))
        .hasSize(20).containsOnly("running");
    assertThat(api.get("/v1/events?limit=1000").json().path("items").findValuesAsText("reason")
        .stream().filter("InstanceRunning"::equals)).hasSize(20);
  }

  @Test
  void statusBatchWithAnInvalidItemWritesNothing() {
    createInstance("shop", "web-aaaaa", "n1");
    long before = f.store.revision();

    ApiClient.Response r = api.post("/v1/instances/status", """
        {"items": [{"namespace": "shop", "name": "web-aaaaa", "status": {"state": "dancing"}}]}""");

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().path("error").path("problems").get(0).path("path").asText()).startsWith("items[0].status");
    assertThat(f.store.revision()).as("only the refusal's audit entry").isEqualTo(before + 1);
  }

  @Test
  void logsAndExecAreProxiedToTheAgentOfTheNode() throws Exception {
    HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    CountDownLatch release = new CountDownLatch(1);
    agent.createContext("/v1/agent/instances/shop/web-aaaaa/logs", ex -> {
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(("line 1 " + ex.getRequestURI().getQuery() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        release.await(10, TimeUnit.SECONDS);
        out.write("line 2\n".getBytes(StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    var authorization = new java.util.concurrent.atomic.AtomicReference<String>();
    agent.createContext("/v1/agent/instances/shop/web-aaaaa/exec", ex -> {
      authorization.set(ex.getRequestHeaders().getFirst("Authorization"));
      byte[] in = ex.getRequestBody().readAllBytes();
      byte[] body = ("{\"exitCode\":0,\"output\":" + new String(in, StandardCharsets.UTF_8).length() + "}")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    agent.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    agent.start();
    try {
      Nodes.register(api, Nodes.node("n1", "http://127.0.0.1:" + agent.getAddress().getPort()));
      createInstance("shop", "web-aaaaa", "n1");

      try (SseReader ignored = null) {
        var lines = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var response = api.http().sendAsync(java.net.http.HttpRequest.newBuilder(
            api.uri("/v1/namespaces/shop/instances/web-aaaaa/logs?follow=true&task=main"))
            .header("Authorization", "Bearer " + api.token()).build(),
            java.net.http.HttpResponse.BodyHandlers.ofLines());
        Thread.ofVirtual().start(() -> response.join().body().forEach(lines::add));
        await().until(() -> lines.contains("line 1 task=main&follow=true") || lines.contains("line 1 follow=true&task=main"));
        assertThat(lines).doesNotContain("line 2");
        release.countDown();
        await().until(() -> lines.contains("line 2"));
        assertThat(response.join().statusCode()).isEqualTo(200);
      }

      ApiClient.Response exec = api.post("/v1/namespaces/shop/instances/web-aaaaa/exec", "{\"command\":[\"id\"]}");
      assertThat(exec.status()).isEqualTo(200);
      assertThat(exec.json().path("output").asInt()).isEqualTo("{\"command\":[\"id\"]}".length());
      // The agent is sent a token of the server's for this node, instance and action only.
      assertThat(authorization.get()).startsWith("Bearer ");
      var claims = com.nimbusds.jwt.SignedJWT.parse(authorization.get().substring(7)).getJWTClaimsSet();
      assertThat(claims.getAudience()).containsExactly("agent:n1");
      assertThat(claims.getClaim("wharf.io/agent-instance")).isEqualTo("shop/web-aaaaa");
      assertThat(claims.getClaim("wharf.io/agent-action")).isEqualTo("exec");
      assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(60_000L);

      ApiClient.Response notRun = api.get("/v1/namespaces/shop/instances/web-zzzzz/logs");
      assertThat(notRun.status()).isEqualTo(404);
    } finally {
      agent.stop(0);
    }
  }

  @Test
  void anAgentRefusingTheServersTokenIs502AgentRefusedNotTheCallersOwn401() throws IOException {
    HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.createContext("/v1/agent/instances/shop/web-aaaaa/exec", ex -> {
      ex.getRequestBody().readAllBytes();
      byte[] body = "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"token expired\"}}"
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(401, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    agent.start();
    try {
      Nodes.register(api, Nodes.node("n1", "http://127.0.0.1:" + agent.getAddress().getPort()));
      createInstance("shop", "web-aaaaa", "n1");

      ApiClient.Response exec = api.post("/v1/namespaces/shop/instances/web-aaaaa/exec", "{\"command\":[\"id\"]}");

      assertThat(exec.status()).isEqualTo(502);
      assertThat(exec.json().path("error").path("code").asText()).isEqualTo("agent_refused");
      assertThat(exec.json().path("error").path("message").asText())
          .isEqualTo("the agent of node \"n1\" refused the server's call: token expired");
    } finally {
      agent.stop(0);
    }
  }

  @Test
  void anUnreachableAgentIs502AndAnUnknownNodeIs404() throws IOException {
    int closedPort;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Nodes.register(api, Nodes.node("n1", "http://127.0.0.1:" + closedPort));
    createInstance("shop", "web-aaaaa", "n1");
    createInstance("shop", "web-bbbbb", "nowhere");

    ApiClient.Response unreachable = api.get("/v1/namespaces/shop/instances/web-aaaaa/logs");
    assertThat(unreachable.status()).isEqualTo(502);
    assertThat(unreachable.errorCode()).isEqualTo("agent_unreachable");
    ApiClient.Response noNode = api.post("/v1/namespaces/shop/instances/web-bbbbb/exec", "{\"command\":[\"id\"]}");
    assertThat(noNode.status()).isEqualTo(404);
    assertThat(noNode.errorMessage()).isEqualTo("Node \"nowhere\" of instance \"shop/web-bbbbb\" is not registered");
  }
}
