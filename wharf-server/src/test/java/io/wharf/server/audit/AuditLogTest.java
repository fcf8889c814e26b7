package io.wharf.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.model.Kind;
import io.wharf.server.ControlPlane;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.SseReader;
import io.wharf.server.fixture.TestStores;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import io.wharf.testkit.etcd.EtcdFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mutating call of the API gets exactly one audit entry, committed with its change or
 * appended for a refusal, and the log answers {@code GET /v1/audit} with filters and follow.
 * The calls are driven from the server's own route table: a new mutating route without a call
 * here fails {@link #everyMutatingRouteIsAuditedOnceWithItsVerbObjectRevisionAndResult}.
 */
class AuditLogTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();
  private static final AtomicInteger roots = new AtomicInteger();
  private static final String SECRET = "hunter2-Sup3rS3cret-value";

  @TempDir Path dir;
  private ServerFixture fx;
  private ApiClient api;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private void start(Store store) {
    fx = ServerFixture.start(store, ServerFixture.tuning());
    api = fx.client;
  }

  /** One call of the test: the route it exercises, the request, and what its entry must say. */
  private record Call(String route, String method, String path, String body, String verb, String kind,
      String namespace, String name) {}

  private static String stack(String name, String secretValue) {
    return "stack: " + name + "\nnamespace: default\nservices:\n  web:\n    command: [\"/bin/sleep\", \"1000\"]\n"
        + "    replicas: 1\nsecrets:\n  db-password:\n    value: " + secretValue + "\n";
  }

  /** The calls, in an order where each finds what it needs; refusals included. */
  private List<Call> calls() {
    List<Call> calls = new ArrayList<>();
    String ns = "/v1/namespaces/default/";
    for (ResourceType type : ResourceType.ALL) {
      if (type.readOnly()) {
        continue;
      }
      Kind kind = Kind.valueOf(switch (type.kind()) {
        case "CronJob" -> "CRON_JOB";
        default -> type.kind().toUpperCase(java.util.Locale.ROOT);
      });
      String name = "a-" + type.plural();
      String body = Samples.json(Samples.of(kind, "default", name));
      String collection = type.clusterScoped() ? "/v1/" + type.plural() : ns + type.plural();
      String route = type.clusterScoped() ? "/v1/{plural}" : "/v1/namespaces/{ns}/{plural}";
      String namespace = type.clusterScoped() ? null : "default";
      calls.add(new Call("POST " + route, "POST", collection, body, "create", type.kind(), namespace, name));
      calls.add(new Call("POST " + route, "POST", collection, body, "create", type.kind(), namespace, name)); // 409
      calls.add(new Call("PUT " + route + "/{name}", "PUT", collection + "/" + name,
          Samples.withLabels(Samples.of(kind, "default", name), Map.of("tier", "audited")),
          "update", type.kind(), namespace, name));
      calls.add(new Call("PUT " + route + "/{name}", "PUT", collection + "/b-" + type.plural(),
          Samples.json(Samples.of(kind, "default", "b-" + type.plural())), "update", type.kind(), namespace,
          "b-" + type.plural())); // creates: 201
      calls.add(new Call("PUT " + route + "/{name}/status", "PUT", collection + "/" + name + "/status", body,
          "update-status", type.kind(), namespace, name));
    }
    calls.add(new Call("POST /v1/namespaces/{ns}/{plural}", "POST", ns + "services", "{not json " + SECRET,
        "create", "Service", "default", null)); // 400
    calls.add(new Call("POST /v1/namespaces/{ns}/{plural}", "POST", ns + "secrets",
        "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"bad\"},\"spec\":{\"value\":\"" + SECRET + "\",\"file\":\"x\"}}",
        "create", "Secret", "default", "bad")); // 422
    calls.add(new Call("POST /v1/nodes/{name}/drain", "POST", "/v1/nodes/a-nodes/drain", "{\"drain\": true}",
        "drain", "Node", null, "a-nodes"));
    calls.add(new Call("POST /v1/nodes/{name}/eligibility", "POST", "/v1/nodes/a-nodes/eligibility",
        "{\"eligible\": false}", "eligibility", "Node", null, "a-nodes"));
    calls.add(new Call("POST /v1/namespaces/{ns}/services/{name}/rebalance", "POST",
        ns + "services/a-services/rebalance", "", "rebalance", "Service", "default", "a-services"));
    for (String action : List.of("trigger", "suspend", "resume")) {
      calls.add(new Call("POST /v1/namespaces/{ns}/cronjobs/{name}/" + action, "POST",
          ns + "cronjobs/a-cronjobs/" + action, "", action, "CronJob", "default", "a-cronjobs"));
    }
    calls.add(new Call("POST /v1/namespaces/{ns}/jobs/{name}/run", "POST", ns + "jobs/a-jobs/run", "", "run", "Job",
        "default", "a-jobs"));
    for (String action : List.of("restart", "promote", "undo")) {
      calls.add(new Call("POST /v1/namespaces/{ns}/services/{name}/rollout/" + action, "POST",
          ns + "services/a-services/rollout/" + action, "{}", action, "Service", "default", "a-services"));
    }
    calls.add(new Call("POST /v1/namespaces/{ns}/instances/{name}/exec", "POST", ns + "instances/a-instances/exec",
        "{\"command\":[\"id\"]}", "exec", "Instance", "default", "a-instances"));
    for (String[] r : new String[][] {
        {"POST /v1/auth/principals", "/v1/auth/principals", "create", "Principal", null},
        {"PUT /v1/auth/grants/<id>", "/v1/auth/grants/user:nobody", "update-grants", "Principal", "user:nobody"},
        {"DELETE /v1/auth/principals/<id>", "/v1/auth/principals/user:nobody", "delete", "Principal", "user:nobody"},
        {"POST /v1/auth/roles", "/v1/auth/roles", "create", "Role", null},
        {"PUT /v1/auth/roles/{name}", "/v1/auth/roles/nope", "update", "Role", "nope"},
        {"DELETE /v1/auth/roles/{name}", "/v1/auth/roles/nope", "delete", "Role", "nope"},
        {"POST /v1/auth/tokens", "/v1/auth/tokens", "create", "Token", null},
        {"DELETE /v1/auth/tokens/{id}", "/v1/auth/tokens/nope", "revoke", "Token", "nope"},
        {"POST /v1/agent/join", "/v1/agent/join", "join", "Node", null},
        {"POST /v1/join-tokens", "/v1/join-tokens", "create", "JoinToken", null},
        {"DELETE /v1/join-tokens/{id}", "/v1/join-tokens/nope", "revoke", "JoinToken", "nope"},
        {"POST /v1/secrets/rotate-key", "/v1/secrets/rotate-key", "rotate-key", "Secret", null}}) {
      String method = r[0].substring(0, r[0].indexOf(' '));
      calls.add(new Call(r[0], method, r[1], method.equals("DELETE") ? null : "{}", r[2], r[3], null, r[4]));
    }
    calls.add(new Call("PUT /v1/auth/users/{user}/password", "PUT", "/v1/auth/users/alice/password",
        "{\"password\": \"" + SECRET + "\"}", "set-password", "User", null, "alice"));
    calls.add(new Call("POST /v1/auth/login", "POST", "/v1/auth/login",
        "{\"user\": \"alice\", \"password\": \"wrong-" + SECRET + "\"}", "login", "User", null, "alice"));
    calls.add(new Call("POST /v1/auth/login", "POST", "/v1/auth/login",
        "{\"user\": \"alice\", \"password\": \"" + SECRET + "\"}", "login", "User", null, "alice"));
    calls.add(new Call("POST /v1/auth/users/{user}/totp", "POST", "/v1/auth/users/alice/totp", "", "enrol-totp",
        "User", null, "alice"));
    calls.add(new Call("DELETE /v1/auth/users/{user}/totp", "DELETE", "/v1/auth/users/alice/totp", null,
        "remove-totp", "User", null, "alice"));
    calls.add(new Call("POST /v1/auth/keys/rotate", "POST", "/v1/auth/keys/rotate", "", "rotate", "SigningKey", null,
        null));
    calls.add(new Call("POST /v1/namespaces/{ns}/instances/{name}/token", "POST",
        ns + "instances/a-instances/token", "", "issue-token", "Instance", "default", "a-instances"));
    calls.add(new Call("POST /v1/apply", "POST", "/v1/apply", stack("shop", SECRET), "apply", "Stack", "default",
        "shop"));
    calls.add(new Call("POST /v1/apply", "POST", "/v1/apply", stack("shop", SECRET), "apply", "Stack", "default",
        "shop")); // changes nothing: appended, uncommitted
    calls.add(new Call("POST /v1/delete", "POST", "/v1/delete", stack("shop", SECRET), "delete", "Stack", "default",
        "shop"));
    calls.add(new Call("POST /v1/nodes/{name}/heartbeat", "POST", "/v1/nodes/ghost/heartbeat", "", "heartbeat",
        "Node", null, "ghost")); // 404: refused agent calls are audited
    calls.add(new Call("POST /v1/nodes/heartbeats", "POST", "/v1/nodes/heartbeats", "{\"nodes\": \"x\"}",
        "heartbeat", "Node", null, null)); // 422
    calls.add(new Call("POST /v1/instances/status", "POST", "/v1/instances/status", "{}", "report-status",
        "Instance", null, null)); // 422
    for (ResourceType type : ResourceType.ALL) {
      if (type.readOnly()) {
        continue;
      }
      String collection = type.clusterScoped() ? "/v1/" + type.plural() : ns + type.plural();
      String route = type.clusterScoped() ? "/v1/{plural}" : "/v1/namespaces/{ns}/{plural}";
      String namespace = type.clusterScoped() ? null : "default";
      calls.add(new Call("DELETE " + route + "/{name}", "DELETE", collection + "/a-" + type.plural(), null, "delete",
          type.kind(), namespace, "a-" + type.plural()));
    }
    calls.add(new Call("DELETE /v1/namespaces/{ns}/{plural}/{name}", "DELETE", ns + "services/nope", null, "delete",
        "Service", "default", "nope")); // 404
    return calls;
  }

  private ApiClient.Response send(Call c) {
    return api.send(c.path(), c.method(), c.path().equals("/v1/apply") || c.path().equals("/v1/delete")
        ? "application/yaml" : "application/json", c.body() == null ? "" : c.body());
  }

  /** Every entry after {@code sequence}, oldest first. */
  private List<JsonNode> entriesAfter(long sequence) {
    List<JsonNode> out = new ArrayList<>();
    for (KeyValue kv : fx.store.range(AuditLog.PREFIX).kvs()) {
      if (AuditLog.sequenceOf(kv.key()) > sequence) {
        out.add(AuditLog.decode(fx.client == null ? null : io.wharf.model.codec.ResourceCodec.json(), kv));
      }
    }
    return out;
  }

  private long lastSequence() {
    return AuditLog.read(fx.store).last();
  }

  @Test
  void everyMutatingRouteIsAuditedOnceWithItsVerbObjectRevisionAndResult() {
    start(TestStores.open(dir));
    String admin = api.get("/v1/auth/whoami").json().path("principal").asText();
    assertThat(admin).startsWith("user:");
    List<Call> calls = calls();
    Set<String> mutating = new TreeSet<>();
    for (String route : fx.server.apiRoutes()) {
      String method = route.substring(0, route.indexOf(' '));
      if (AuditedRoutes.mutating(method, route.substring(route.indexOf(' ') + 1))) {
        mutating.add(route);
      }
    }
    Set<String> driven = new TreeSet<>();
    calls.forEach(c -> driven.add(c.route()));
    assertThat(driven).as("every mutating route of the API has a call in this test").containsAll(mutating);

    Map<String, Integer> statuses = new LinkedHashMap<>();
    for (Call c : calls) {
      long before = lastSequence();
      ApiClient.Response r = send(c);
      String what = c.method() + " " + c.path() + " -> " + r.status() + " " + r.text();
      statuses.merge(c.route() + " " + r.status(), 1, Integer::sum);
      List<JsonNode> entries = entriesAfter(before);
      assertThat(entries).as(what).hasSize(1);
      JsonNode e = entries.get(0);
      // login is an anonymous route: the seam authenticates nobody there
      assertThat(e.path("principal").asText()).as(what)
          .isEqualTo(c.route().equals("POST /v1/auth/login") || c.route().equals("POST /v1/agent/join")
              ? "anonymous" : admin);
      assertThat(e.path("verb").asText()).as(what).isEqualTo(c.verb());
      assertThat(e.path("object").path("kind").asText()).as(what).isEqualTo(c.kind());
      assertThat(e.path("object").path("namespace").asText(null)).as(what).isEqualTo(c.namespace());
      assertThat(e.path("object").path("name").asText(null)).as(what).isEqualTo(c.name());
      assertThat(e.path("result").path("status").asInt()).as(what).isEqualTo(r.status());
      assertThat(e.path("request").path("source").asText()).as(what).isEqualTo("127.0.0.1");
      assertThat(e.path("request").path("method").asText()).as(what).isEqualTo(c.method());
      boolean committed = e.path("committed").asBoolean();
      if (r.status() >= 400) {
        assertThat(committed).as(what).isFalse();
        assertThat(e.path("revision").isNull()).as(what).isTrue();
        assertThat(e.path("result").path("code").asText()).as(what).isEqualTo(r.errorCode());
      } else if (committed) {
        long revision = fx.store.get(AuditLog.key(e.path("sequence").asLong())).orElseThrow().modRevision();
        assertThat(e.path("revision").asLong()).as(what).isEqualTo(revision);
        JsonNode answered = r.json().path("metadata").path("revision");
        if (answered.isNumber() && !c.method().equals("DELETE")) {
          assertThat(e.path("revision").asLong()).as(what + ": the revision the change committed at")
              .isEqualTo(answered.asLong());
        }
        assertThat(e.path("changes")).as(what).isNotEmpty();
      }
    }
    // The table of outcomes shows the calls covered successes and refusals alike.
    assertThat(statuses).containsKeys("POST /v1/namespaces/{ns}/{plural} 201", "POST /v1/namespaces/{ns}/{plural} 409",
        "POST /v1/namespaces/{ns}/{plural} 400", "POST /v1/namespaces/{ns}/{plural} 422",
        "PUT /v1/namespaces/{ns}/{plural}/{name} 201", "PUT /v1/namespaces/{ns}/{plural}/{name} 200",
        "DELETE /v1/namespaces/{ns}/{plural}/{name} 404", "POST /v1/apply 200", "POST /v1/delete 200",
        "POST /v1/nodes/{name}/heartbeat 404", "POST /v1/namespaces/{ns}/jobs/{name}/run 409",
        "POST /v1/namespaces/{ns}/services/{name}/rollout/restart 202");
    assertNoSecretIn(fx.store);
  }

  private static void assertNoSecretIn(Store store) {
    List<KeyValue> all = store.range(AuditLog.PREFIX).kvs();
    assertThat(all).isNotEmpty();
    for (KeyValue kv : all) {
      assertThat(new String(kv.value(), StandardCharsets.UTF_8)).as(kv.key()).doesNotContain(SECRET)
          .doesNotContain("s3cret");
    }
  }

  @Test
  void secretValuesAreRedactedInTheDiffButTheChangedKeysAreNamed() {
    start(TestStores.open(dir));
    String path = "/v1/namespaces/default/secrets/db";
    assertThat(api.put(path, "{\"kind\":\"Secret\",\"spec\":{\"data\":{\"user\":\"admin-" + SECRET
        + "\",\"password\":\"" + SECRET + "\"}}}").status()).isEqualTo(201);
    long before = lastSequence();
    var updated = api.put(path, "{\"kind\":\"Secret\",\"spec\":{\"data\":{\"user\":\"admin-" + SECRET
        + "\",\"password\":\"new-" + SECRET + "\"}}}");
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);

    JsonNode change = entriesAfter(before).get(0).path("changes").get(0);
    // the secrets lane seals each value (ciphertext, nonce) afresh on every write: every entry's
    // sealed fields change, and every one of them is redacted
    assertThat(change.path("fields").toString()).contains("spec.data.password.ciphertext");
    assertThat(change.path("before").path("spec").path("data").path("password").path("ciphertext").asText())
        .isEqualTo("<redacted>");
    assertThat(change.path("after").path("spec").path("data").path("user").path("ciphertext").asText())
        .isEqualTo("<redacted>");
    var listed = api.get("/v1/audit?kind=Secret");
    assertThat(listed.json().path("items")).hasSize(2);
    assertThat(listed.text()).doesNotContain(SECRET);
    assertNoSecretIn(fx.store);
  }

  @Test
  void theDiffShowsBeforeAndAfterOfWhatChanged() {
    start(TestStores.open(dir));
    String path = "/v1/namespaces/default/services/web";
    api.put(path, Samples.json(Samples.service("default", "web", 1)));
    long before = lastSequence();
    var r = api.put(path, Samples.json(Samples.service("default", "web", 3)));

    JsonNode entry = entriesAfter(before).get(0);
    JsonNode change = entry.path("changes").get(0);
    assertThat(change.path("action").asText()).isEqualTo("updated");
    assertThat(change.path("fields").toString()).isEqualTo("[\"spec.replicas\"]");
    assertThat(change.path("before").path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(change.path("after").path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(entry.path("revision").asLong()).isEqualTo(r.json().path("metadata").path("revision").asLong());
  }

  @Test
  void filtersBySincePrincipalKindAndNamespaceAndPagesOldestFirst() throws Exception {
    start(TestStores.open(dir));
    for (int i = 0; i < 5; i++) {
      api.put("/v1/namespaces/default/services/s" + i, Samples.json(Samples.service("default", "s" + i, 1)));
    }
    api.put("/v1/namespaces/other/configs/c", Samples.json(Samples.of(Kind.CONFIG, "other", "c")));
    Instant cut = Instant.now();
    await().until(() -> Instant.now().isAfter(cut));
    api.put("/v1/namespaces/default/services/late", Samples.json(Samples.service("default", "late", 1)));

    assertThat(names(api.get("/v1/audit?since=" + cut).json())).containsExactly("late");
    assertThat(names(api.get("/v1/audit?since=1h").json())).hasSize(7);
    assertThat(names(api.get("/v1/audit?kind=Config").json())).containsExactly("c");
    assertThat(names(api.get("/v1/audit?namespace=other").json())).containsExactly("c");
    String admin = api.get("/v1/auth/whoami").json().path("principal").asText();
    assertThat(names(api.get("/v1/audit?principal=" + admin + "&kind=Service").json())).hasSize(6);
    assertThat(names(api.get("/v1/audit?principal=user:alice").json())).isEmpty();

    var first = api.get("/v1/audit?limit=4").json();
    assertThat(names(first)).containsExactly("s0", "s1", "s2", "s3");
    var second = api.get("/v1/audit?limit=4&continue=" + first.path("continue").asText()).json();
    assertThat(names(second)).containsExactly("s4", "c", "late");
    assertThat(second.path("continue").isNull()).isTrue();

    var bad = api.get("/v1/audit?since=yesterday");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorMessage()).isEqualTo("query parameter \"since\": must be an RFC 3339 time "
        + "(2026-12-06T21:00:00Z) or a duration back from now (90s, 1h, 7d), got \"yesterday\"");
    var badPrincipal = api.get("/v1/audit?principal=alice");
    assertThat(badPrincipal.status()).isEqualTo(400);
    assertThat(badPrincipal.errorMessage()).isEqualTo("query parameter \"principal\": must be a principal id such "
        + "as user:alice, service:default/web, node:node-1 or anonymous, got \"alice\"");
  }

  private static List<String> names(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("items").forEach(e -> out.add(e.path("object").path("name").asText()));
    return out;
  }

  @Test
  void followSeesTheBacklogAndThenEachNewEntryOnce() throws Exception {
    start(TestStores.open(dir));
    api.put("/v1/namespaces/default/services/old", Samples.json(Samples.service("default", "old", 1)));
    try (SseReader sse = new SseReader(api.http(), api.uri("/v1/audit?follow=true&since=1h"), Map.of())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> sse.events("PUT").size() == 1);
      api.put("/v1/namespaces/default/services/new", Samples.json(Samples.service("default", "new", 1)));
      api.delete("/v1/namespaces/default/services/missing");
      await().atMost(Duration.ofSeconds(10)).until(() -> sse.events("PUT").size() == 3);
      List<String> seen = new ArrayList<>();
      for (SseReader.Event e : sse.events("PUT")) {
        JsonNode entry = ApiClient.parse(e.data()).path("object");
        seen.add(entry.path("verb").asText() + " " + entry.path("object").path("name").asText() + " "
            + entry.path("result").path("status").asInt());
        assertThat(e.id()).isEqualTo(entry.path("sequence").asText());
      }
      assertThat(seen).containsExactly("update old 201", "update new 201", "delete missing 404");
    }
  }

  @Test
  void followPagesThroughABacklogLongerThanAPageAndDeliversEachEntryOnce() throws Exception {
    start(TestStores.open(dir));
    int backlog = 510; // more than one page of the reader (500)
    for (int i = 0; i < backlog; i++) {
      api.delete("/v1/namespaces/default/configs/missing-" + i);
    }
    try (SseReader sse = new SseReader(api.http(), api.uri("/v1/audit?follow=true&since=1h&verb=delete"), Map.of())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> sse.events("PUT").size() >= backlog);
      api.delete("/v1/namespaces/default/configs/last");
      await().atMost(Duration.ofSeconds(10)).until(() -> sse.events("PUT").size() >= backlog + 1);
      List<Long> sequences = new ArrayList<>();
      for (SseReader.Event e : sse.events("PUT")) {
        sequences.add(Long.parseLong(e.id()));
      }
      assertThat(sequences).hasSize(backlog + 1).isSorted().doesNotHaveDuplicates();
      assertThat(sequences.get(0)).isEqualTo(1);
      assertThat(sequences.get(backlog)).isEqualTo(backlog + 1);
    }
  }

  @Test
  void retentionKeepsTheNewestEntriesAndDropsTooOldOnes() {
    start(TestStores.open(dir));
    for (int i = 0; i < 6; i++) {
      api.put("/v1/namespaces/default/configs/c" + i, Samples.json(Samples.of(Kind.CONFIG, "default", "c" + i)));
    }
    var json = io.wharf.model.codec.ResourceCodec.json();
    AuditSettings keepFour = AuditSettings.DEFAULTS.withRetainEntries(4);
    assertThat(AuditPruner.prune(fx.store, json, keepFour, Instant.now())).isEqualTo(2);
    assertThat(names(api.get("/v1/audit").json())).containsExactly("c2", "c3", "c4", "c5");
    assertThat(AuditPruner.prune(fx.store, json, keepFour, Instant.now())).isZero();

    AuditSettings oneHour = AuditSettings.DEFAULTS.withMaxAge(Duration.ofHours(1));
    assertThat(AuditPruner.prune(fx.store, json, oneHour, Instant.now().plus(Duration.ofMinutes(59)))).isZero();
    assertThat(AuditPruner.prune(fx.store, json, oneHour, Instant.now().plus(Duration.ofHours(2)))).isEqualTo(4);
    api.put("/v1/namespaces/default/configs/c6", Samples.json(Samples.of(Kind.CONFIG, "default", "c6")));
    assertThat(names(api.get("/v1/audit").json())).as("numbering goes on after pruning").containsExactly("c6");
    assertThat(api.get("/v1/audit").json().path("items").get(0).path("sequence").asLong()).isEqualTo(7);
  }

  @Test
  void agentReportsAreAuditedOnlyWhenTheSettingIsOn() {
    Store store = TestStores.open(dir);
    ControlPlane server = ControlPlane.start(ServerFixture.settings(), store,
        ServerFixture.tuning(), AuditSettings.DEFAULTS.withAgentReports(true));
    try {
      ApiClient client = new ApiClient(server.apiAddress());
      client.put("/v1/nodes/n1", Samples.json(Samples.of(Kind.NODE, null, "n1")));
      long before = AuditLog.read(store).last();
      assertThat(client.post("/v1/nodes/n1/heartbeat", "").status()).isEqualTo(200);
      assertThat(AuditLog.read(store).last()).isEqualTo(before + 1);
    } finally {
      server.close();
      store.close();
    }
    // and off (the default): a successful beat leaves no entry
    start(TestStores.open(dir.resolve("off")));
    api.put("/v1/nodes/n1", Samples.json(Samples.of(Kind.NODE, null, "n1")));
    long before = lastSequence();
    assertThat(api.post("/v1/nodes/n1/heartbeat", "").status()).isEqualTo(200);
    assertThat(lastSequence()).isEqualTo(before);
  }

  @Test
  void theEtcdStoreKeepsEntriesInTheChangesTransactionToo() {
    start(EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot("/audit" + roots.incrementAndGet() + "/")));
    var created = api.post("/v1/namespaces/default/services", Samples.json(Samples.service("default", "web", 1)));
    var refused = api.post("/v1/namespaces/default/services", Samples.json(Samples.service("default", "web", 1)));
    assertThat(refused.status()).isEqualTo(409);

    JsonNode items = api.get("/v1/audit").json().path("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).path("revision").asLong()).isEqualTo(created.json().path("metadata").path("revision").asLong());
    assertThat(items.get(1).path("result").path("code").asText()).isEqualTo("already_exists");
  }

  @Test
  void twoServersOnOneEtcdNumberTheirEntriesWithoutGapsOrTwins() throws Exception {
    String root = "/audit" + roots.incrementAndGet() + "/";
    start(EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot(root)));
    try (ServerFixture second = ServerFixture.start(EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint())
        .withRoot(root)), ServerFixture.tuning())) {
      int each = 20;
      List<Thread> writers = new ArrayList<>();
      java.util.Map<String, Long> revisions = new java.util.concurrent.ConcurrentHashMap<>();
      for (ApiClient client : List.of(api, second.client)) {
        String who = client == api ? "one" : "two";
        writers.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; i < each; i++) {
            String name = who + "-" + i;
            var r = client.put("/v1/namespaces/default/configs/" + name,
                Samples.json(Samples.of(Kind.CONFIG, "default", name)));
            revisions.put(name, r.json().path("metadata").path("revision").asLong());
          }
        }));
      }
      for (Thread t : writers) {
        t.join();
      }
      assertThat(revisions).hasSize(2 * each);
      List<JsonNode> entries = new ArrayList<>();
      api.get("/v1/audit?limit=1000").json().path("items").forEach(entries::add);
      assertThat(entries).hasSize(2 * each);
      for (int i = 0; i < entries.size(); i++) {
        JsonNode e = entries.get(i);
        assertThat(e.path("sequence").asLong()).isEqualTo(i + 1);
        assertThat(e.path("revision").asLong()).as(e.toString())
            .isEqualTo(revisions.get(e.path("object").path("name").asText()));
      }
    }
  }
}
