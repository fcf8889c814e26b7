package io.wharf.server.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.InterferingStore;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackApplyTest {
  @TempDir Path dir;
  InterferingStore store;
  ServerFixture fx;
  ApiClient api;

  @BeforeEach
  void start() {
    store = new InterferingStore(TestStores.open(dir));
    fx = ServerFixture.start(store, ServerFixture.tuning());
    api = fx.client;
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  /** A stack of services with the given replicas, named in order: svc(web=2, api=1). */
  static String stack(String... services) {
    StringBuilder sb = new StringBuilder("stack: shop\nnamespace: default\nservices:\n");
    for (String s : services) {
      String[] parts = s.split("=");
      sb.append("  ").append(parts[0]).append(":\n");
      sb.append("    command: [\"/bin/sleep\", \"1000\"]\n");
      sb.append("    replicas: ").append(parts[1]).append('\n');
    }
    return sb.toString();
  }

  private ApiClient.Response plan(String yaml) {
    return api.send("/v1/plan", "POST", "application/yaml", yaml);
  }

  private ApiClient.Response apply(String yaml, String query) {
    return api.send("/v1/apply" + query, "POST", "application/yaml", yaml);
  }

  private static List<String> changes(ApiClient.Response r) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : r.json().path("changes")) {
      StringBuilder sb = new StringBuilder(c.path("action").asText() + " " + c.path("kind").asText() + " "
          + c.path("name").asText());
      for (JsonNode d : c.path("diff")) {
        sb.append(" ").append(d.path("path").asText()).append(" ").append(d.path("old")).append("->")
            .append(d.path("new"));
      }
      out.add(sb.toString());
    }
    return out;
  }

  private List<String> serviceNames() {
    List<String> out = new ArrayList<>();
    api.get("/v1/namespaces/default/services").json().path("items")
        .forEach(i -> out.add(i.path("metadata").path("name").asText() + "=" + i.path("spec").path("replicas").asInt()));
    return out;
  }

  @Test
  void planShowsCreatesUpdatesDeletesAndUnchangedWithDiffsAndWritesNothing() {
    var first = apply(stack("web=2", "api=1", "db=1"), "");
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    long revision = store.revision();

    var plan = plan(stack("web=3", "api=1", "cache=1"));
    assertThat(plan.status()).as(plan.text()).isEqualTo(200);
    assertThat(plan.json().path("stack").asText()).isEqualTo("shop");
    assertThat(plan.json().path("revision").asLong()).isEqualTo(revision);
    assertThat(changes(plan)).contains(
        "update Service web spec.replicas 2->3",
        "create Service cache",
        "delete Service db");
    assertThat(plan.json().path("summary").path("create").asInt()).isEqualTo(1);
    assertThat(plan.json().path("summary").path("delete").asInt()).isEqualTo(1);
    assertThat(plan.json().path("summary").path("unchanged").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(store.revision()).isEqualTo(revision);
  }

  @Test
  void applyCommitsEveryChangeInOneRevisionAndPrunesOnReapply() {
    var first = apply(stack("web=2", "db=1"), "");
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    long r1 = first.json().path("revision").asLong();
    assertThat(serviceNames()).containsExactly("db=1", "web=2");
    api.get("/v1/namespaces/default/services").json().path("items").forEach(i -> {
      assertThat(i.path("metadata").path("revision").asLong()).isEqualTo(r1);
      assertThat(i.path("metadata").path("labels").path("wharf.io/stack").asText()).isEqualTo("shop");
    });
    assertThat(api.get("/v1/namespaces/default/stacks/shop").status()).isEqualTo(200);

    var second = apply(stack("web=3"), "");
    assertThat(second.status()).as(second.text()).isEqualTo(200);
    assertThat(changes(second)).contains("delete Service db", "update Service web spec.replicas 2->3");
    assertThat(serviceNames()).containsExactly("web=3");

    var events = api.get("/v1/events?involved=Service/db").json().path("items");
    assertThat(events.get(events.size() - 1).path("spec").path("type").asText()).isEqualTo("Deleted");
    assertThat(events.get(events.size() - 1).path("spec").path("reason").asText()).isEqualTo("Pruned");
    assertThat(events.get(events.size() - 1).path("metadata").path("revision").asLong())
        .isEqualTo(second.json().path("revision").asLong());

    var again = apply(stack("web=3"), "");
    assertThat(again.json().path("revision").asLong()).isEqualTo(second.json().path("revision").asLong());
    assertThat(again.json().path("changes").size()).isZero();
  }

  @Test
  void aStackWithOneInvalidResourceWritesNothing() {
    long revision = store.revision();
    var r = apply(stack("web=2", "api=-1"), "");
    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("invalid");
    assertThat(r.json().path("error").path("problems").get(0).path("path").asText()).isEqualTo("services.api.replicas");
    assertThat(store.revision()).as("only the refusal's audit entry").isEqualTo(revision + 1);
    assertThat(serviceNames()).isEmpty();
  }

  @Test
  void aStaleExpectRevisionIsRefusedAndWritesNothing() {
    apply(stack("web=2"), "");
    long planned = plan(stack("web=3", "api=1")).json().path("revision").asLong();
    var put = api.put("/v1/namespaces/default/services/web",
        Samples.withLabels(Samples.service("default", "web", 5), java.util.Map.of("wharf.io/stack", "shop")));
    assertThat(put.status()).isEqualTo(200);
    long revision = store.revision();

    var r = apply(stack("web=3", "api=1"), "?expectRevision=" + planned);
    assertThat(r.status()).as(r.text()).isEqualTo(409);
    assertThat(r.errorCode()).isEqualTo("conflict");
    assertThat(r.errorMessage()).isEqualTo("Service \"default/web\" changed at revision " + revision
        + ", after the plan's revision " + planned + "; plan again");
    assertThat(store.revision()).as("only the refusal's audit entry").isEqualTo(revision + 1);
    assertThat(serviceNames()).containsExactly("web=5");
  }

  @Test
  void aConcurrentChangeBetweenPlanAndCommitIsRefusedWithNothingWritten() {
    apply(stack("web=2"), "");
    long planned = plan(stack("web=3", "api=1")).json().path("revision").asLong();
    store.beforeNextTxn(() -> rewrite("web", o -> o.with("spec").put("replicas", 5)));
    var r = apply(stack("web=3", "api=1"), "?expectRevision=" + planned);
    assertThat(r.status()).as(r.text()).isEqualTo(409);
    assertThat(r.errorCode()).isEqualTo("conflict");
    assertThat(serviceNames()).containsExactly("web=5");
    assertThat(api.get("/v1/events?involved=Service/api").json().path("items").size()).isZero();
  }

  @Test
  void statusWritesAfterThePlanDoNotMakeItStale() {
    apply(stack("web=2"), "");
    long planned = plan(stack("web=3", "api=1")).json().path("revision").asLong();
    // What controllers do between `wharf plan` and the apply: rollout records, conditions.
    rewrite("web", o -> o.with("status").put("observedGeneration", 7));
    store.beforeNextTxn(() -> rewrite("web", o -> o.with("status").put("observedGeneration", 8)));

    var r = apply(stack("web=3", "api=1"), "?expectRevision=" + planned);

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(serviceNames()).containsExactly("api=1", "web=3");
  }

  @Test
  void anIdenticalRewriteAfterThePlanDoesNotMakeItStale() {
    apply(stack("web=2"), "");
    long planned = plan(stack("web=3")).json().path("revision").asLong();
    rewrite("web", o -> { });

    var r = apply(stack("web=3"), "?expectRevision=" + planned);

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(serviceNames()).containsExactly("web=3");
  }

  /** Writes the stored service straight to the store after {@code edit}, as a controller would. */
  private void rewrite(String name, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) {
    var web = store.underlying().get("/wharf/r/services/default/" + name).orElseThrow();
    try {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var o = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(web.value());
      edit.accept(o);
      store.underlying().txn(io.wharf.store.Txn.of(List.of(), List.of(
          new io.wharf.store.Txn.Put(web.key(), mapper.writeValueAsBytes(o)))));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void withoutExpectRevisionAConcurrentChangeIsReplannedAndApplied() {
    apply(stack("web=2"), "");
    store.beforeNextTxn(() -> {
      var web = store.underlying().get("/wharf/r/services/default/web").orElseThrow();
      store.underlying().txn(io.wharf.store.Txn.of(List.of(), List.of(
          new io.wharf.store.Txn.Put(web.key(), web.value()))));
    });
    var r = apply(stack("web=3", "api=1"), "");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(serviceNames()).containsExactly("api=1", "web=3");
  }

  @Test
  void anObjectOfTheStackDeletedAfterThePlanMakesTheApplyStale() {
    apply(stack("web=2", "api=1"), "");
    long planned = plan(stack("web=2", "api=1", "db=1")).json().path("revision").asLong();
    var deleted = api.delete("/v1/namespaces/default/services/api");
    assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
    long revision = store.revision();

    var r = apply(stack("web=2", "api=1", "db=1"), "?expectRevision=" + planned);

    assertThat(r.status()).as(r.text()).isEqualTo(409);
    assertThat(r.errorMessage()).isEqualTo("Service \"default/api\" changed at revision " + revision
        + ", after the plan's revision " + planned + "; plan again");
    assertThat(store.revision()).as("only the refusal's audit entry").isEqualTo(revision + 1);
    assertThat(serviceNames()).containsExactly("web=2");
  }

  @Test
  void anObjectTheStackWouldPruneDeletedAfterThePlanMakesTheApplyStale() {
    apply(stack("web=2", "api=1"), "");
    long planned = plan(stack("web=2")).json().path("revision").asLong();
    var key = "/wharf/r/services/default/api";
    store.underlying().txn(io.wharf.store.Txn.of(List.of(), List.of(new io.wharf.store.Txn.Delete(key))));
    long revision = store.revision();

    var r = apply(stack("web=2"), "?expectRevision=" + planned);

    assertThat(r.status()).as(r.text()).isEqualTo(409);
    assertThat(r.errorMessage()).isEqualTo("Service \"default/api\" changed at revision " + revision
        + ", after the plan's revision " + planned + "; plan again");
  }

  @Test
  void deletesOfObjectsOutsideTheStackAfterThePlanDoNotMakeItStale() {
    apply(stack("web=2"), "");
    var other = api.post("/v1/namespaces/default/services",
        io.wharf.server.fixture.Samples.json(io.wharf.server.fixture.Samples.service("default", "loner", 1)));
    assertThat(other.status()).as(other.text()).isEqualTo(201);
    long planned = plan(stack("web=3")).json().path("revision").asLong();
    assertThat(api.delete("/v1/namespaces/default/services/loner").status()).isEqualTo(200);

    var r = apply(stack("web=3"), "?expectRevision=" + planned);

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(serviceNames()).containsExactly("web=3");
  }

  @Test
  void anApplyWhoseHistorySinceThePlanIsCompactedIsStale() {
    apply(stack("web=2"), "");
    long planned = plan(stack("web=3")).json().path("revision").asLong();
    var other = api.post("/v1/namespaces/default/services",
        io.wharf.server.fixture.Samples.json(io.wharf.server.fixture.Samples.service("default", "loner", 1)));
    assertThat(other.status()).as(other.text()).isEqualTo(201);
    store.underlying().compact(store.revision());
    long compactedAt = store.revision();

    var r = apply(stack("web=3"), "?expectRevision=" + planned);

    assertThat(r.status()).as(r.text()).isEqualTo(409);
    assertThat(r.errorMessage()).isEqualTo("Stack \"default/shop\" changed at revision " + compactedAt
        + ", after the plan's revision " + planned + "; plan again");
    assertThat(serviceNames()).containsExactly("loner=1", "web=2");
  }
}
