package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad request gets the documented status, code and field paths, never a 500 and never a
 * write. One server serves the whole table; it holds one service {@code default/web}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestTest {
  ServerFixture fx;
  ApiClient api;
  long webRevision;

  @BeforeAll
  void start(@TempDir Path dir) {
    // etcd's default transaction limits (1 MiB of values), so a single object can exceed them
    // within the 4 MiB body limit: the embedded store's default 16 MiB never could.
    fx = ServerFixture.start(io.wharf.store.embedded.EmbeddedStore.open(dir,
        io.wharf.store.embedded.EmbeddedStoreOptions.defaults().withTxnLimits(
            io.wharf.store.StoreLimits.ETCD_DEFAULTS.maxTxnOps(), io.wharf.store.StoreLimits.ETCD_DEFAULTS.maxTxnBytes())),
        ServerFixture.tuning());
    api = fx.client;
    var r = api.post("/v1/namespaces/default/services", Samples.json(Samples.service("default", "web", 2)));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    webRevision = r.json().path("metadata").path("revision").asLong();
  }

  @AfterAll
  void stop() {
    fx.close();
  }

  static final String SERVICES = "/v1/namespaces/default/services";

  /** A request and what must come back; {@code problems} are "path: reason" (reason "*" = any). */
  record Case(String name, String method, String path, String contentType, String body, int status, String code,
      String message, List<String> problems) {
    @Override
    public String toString() {
      return name;
    }
  }

  static String service(Function<ObjectNode, ObjectNode> edit) {
    return edit.apply(Samples.tree(Samples.service("default", "api", 1))).toString();
  }

  static Case post(String name, String body, int status, String code, String message, String... problems) {
    return new Case(name, "POST", SERVICES, "application/json", body, status, code, message, List.of(problems));
  }

  static Stream<Case> cases() {
    String big = "{\"kind\":\"Service\",\"metadata\":{\"name\":\"big\"},\"pad\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}";
    return Stream.of(
        post("malformed JSON", "{\"kind\": \"Service\",", 400, "malformed", null),
        new Case("truncated YAML", "POST", SERVICES, "application/yaml", "kind: Service\nmetadata:\n  name: [web", 400,
            "malformed", null, List.of()),
        post("JSON array instead of object", "[1,2]", 400, "malformed", "body must be an object, got an array"),
        post("JSON string instead of object", "\"web\"", 400, "malformed", "body must be an object, got a string"),
        post("empty body", "", 400, "malformed", "request body is empty"),
        post("wrong kind in body vs path", service(t -> t.put("kind", "Job")), 400, "invalid",
            "kind: body is a \"Job\" but the path is for Service", "kind: body is a \"Job\" but the path is for Service"),
        new Case("name in body differs from path", "PUT", SERVICES + "/web", "application/json",
            service(t -> t), 400, "invalid", null, List.of("metadata.name: body names \"api\" but the path names \"web\"")),
        post("namespace in body differs from path", service(t -> {
          t.withObjectProperty("metadata").put("namespace", "other");
          return t;
        }), 400, "invalid", null, "metadata.namespace: body names \"other\" but the path names \"default\""),
        post("unknown field", service(t -> {
          t.withObjectProperty("spec").put("replicaz", 3);
          return t;
        }), 422, "invalid", null, "spec.replicaz: unknown field (did you mean \"replicas\"?)"),
        post("wrong type", service(t -> {
          t.withObjectProperty("spec").put("replicas", "three");
          return t;
        }), 422, "invalid", null, "spec.replicas: must be an integer, got string \"three\""),
        post("negative replicas", service(t -> {
          t.withObjectProperty("spec").put("replicas", -1);
          return t;
        }), 422, "invalid", "Service \"api\" has 1 problem", "spec.replicas: must be >= 0"),
        post("bad duration", service(t -> {
          ((ObjectNode) t.withObjectProperty("spec").withArray("tasks").get(0)).put("stopGracePeriod", "soon");
          return t;
        }), 422, "invalid", null, "spec.tasks[0].stopGracePeriod: must be a duration like \"10s\" or \"1m30s\", got string \"soon\""),
        post("invalid name", service(t -> {
          t.withObjectProperty("metadata").put("name", "Bad_Name");
          return t;
        }), 422, "invalid", null, "metadata.name: invalid name \"Bad_Name\": use lowercase letters, digits and '-', start with a letter, end with a letter or digit"),
        post("oversize body", big, 413, "too_large", "body is larger than 4194304 bytes (4 MiB)"),
        post("object too large for one store transaction", service(t -> {
          t.withObjectProperty("metadata").withObjectProperty("labels");
          ((ObjectNode) t.withObjectProperty("spec").withArray("tasks").get(0)).withObjectProperty("env")
              .put("BIG", "x".repeat(1100 * 1024));
          return t;
        }), 413, "too_large", null),
        new Case("wrong content type", "POST", SERVICES, "text/plain", "kind: Service", 415, "unsupported_media_type",
            "Content-Type \"text/plain\" is not supported; send application/json or application/yaml", List.of()),
        new Case("missing content type", "POST", SERVICES, null, "{}", 415, "unsupported_media_type",
            "missing Content-Type; send application/json or application/yaml", List.of()),
        new Case("unknown kind in path", "GET", "/v1/namespaces/default/widgets", null, null, 404, "not_found",
            "unknown kind \"widgets\"", List.of()),
        new Case("limit not a number", "GET", SERVICES + "?limit=abc", null, null, 400, "malformed",
            "query parameter \"limit\": must be an integer from 1 to 1000, got \"abc\"", List.of("limit: *")),
        new Case("limit zero", "GET", SERVICES + "?limit=0", null, null, 400, "malformed",
            "query parameter \"limit\": must be from 1 to 1000, got 0", List.of("limit: *")),
        new Case("limit too large", "GET", SERVICES + "?limit=100000", null, null, 400, "malformed",
            "query parameter \"limit\": must be from 1 to 1000, got 100000", List.of("limit: *")),
        new Case("continue token garbage", "GET", SERVICES + "?continue=@@@", null, null, 400, "malformed",
            "query parameter \"continue\": not a token this server issued", List.of("continue: *")),
        new Case("continue token from another listing", "GET", SERVICES + "?continue=L3doYXJmL3Ivbm9kZXMveA", null,
            null, 400, "malformed", "query parameter \"continue\": not a token this server issued for this listing",
            List.of("continue: *")),
        new Case("bad labels selector", "GET", SERVICES + "?labels=app==,=x", null, null, 400, "malformed",
            "query parameter \"labels\": \"=x\": label key \"\" is not a valid label key", List.of("labels: *")),
        new Case("bad namespace parameter", "GET", "/v1/services?namespace=Not_Valid", null, null, 400, "malformed",
            null, List.of("namespace: *")),
        new Case("negative delete revision", "DELETE", SERVICES + "/web?revision=-1", null, null, 400, "malformed",
            "query parameter \"revision\": must be a revision >= 0, got -1", List.of("revision: *")),
        new Case("DELETE missing object", "DELETE", SERVICES + "/nope", null, null, 404, "not_found",
            "Service \"default/nope\" not found", List.of()),
        new Case("GET missing object", "GET", SERVICES + "/nope", null, null, 404, "not_found",
            "Service \"default/nope\" not found", List.of()),
        post("POST existing name", Samples.json(Samples.service("default", "web", 2)), 409, "already_exists",
            "Service \"default/web\" already exists"),
        new Case("stale revision on PUT", "PUT", SERVICES + "/web", "application/json",
            Samples.json(Samples.service("default", "web", 5).withMetadata(
                Samples.service("default", "web", 5).metadata().withRevision(999_999))),
            409, "conflict", null, List.of()),
        new Case("POST to an object path", "POST", SERVICES + "/web", "application/json", "{}", 405,
            "method_not_allowed", null, List.of()),
        new Case("namespaced kind on the cluster path", "GET", "/v1/services/web", null, null, 404, "not_found",
            "Service is namespaced; use /v1/namespaces/{ns}/services/{name}", List.of()),
        new Case("cluster-scoped kind under a namespace", "GET", "/v1/namespaces/default/nodes", null, null, 404,
            "not_found", "Node is cluster-scoped; use /v1/nodes", List.of()),
        new Case("stack with a dependency cycle", "POST", "/v1/plan", "application/yaml", """
            stack: shop
            services:
              a:
                command: ["/bin/sleep", "1"]
                dependsOn: [b]
              b:
                command: ["/bin/sleep", "1"]
                dependsOn: [a]
            """, 422, "invalid", "stack file has 1 problem", List.of("services.a.dependsOn: dependency cycle a -> b -> a")),
        new Case("invalid name in path", "GET", SERVICES + "/Not_A_Name", null, null, 400, "malformed",
            "name: \"Not_A_Name\" is not a valid name (lowercase letters, digits and '-', at most 63)", List.of()),
        new Case("encoded slash in name", "GET", SERVICES + "/a%2Fb", null, null, 400, "malformed", null, List.of()),
        new Case("repeated query parameter", "GET", SERVICES + "?limit=1&limit=2", null, null, 400, "malformed",
            "query parameter \"limit\": given 2 times; give it once", List.of("limit: *")),
        new Case("deeply nested JSON", "POST", SERVICES, "application/json", "[".repeat(5000) + "]".repeat(5000), 400,
            "malformed", null, List.of()),
        new Case("YAML alias bomb", "POST", SERVICES, "application/yaml", """
            a: &a ["x","x","x","x","x","x","x","x","x"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            """, 422, "invalid", "Service \"\" has 9 problems", List.of("metadata.name: is required", "a: unknown field")),
        new Case("unknown route", "GET", "/v2/things", null, null, 404, "not_found", "no such route", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badRequestsGetTheDocumentedError(Case c) {
    long revisionBefore = fx.store.revision();
    long auditedBefore = io.wharf.server.audit.AuditLog.read(fx.store).last();
    ApiClient.Response r = c.body == null && c.contentType == null
        ? api.send(c.path, c.method, null, null)
        : api.send(c.path, c.method, c.contentType, c.body);
    assertThat(r.status()).as(r.text()).isEqualTo(c.status);
    assertThat(r.errorCode()).as(r.text()).isEqualTo(c.code);
    if (c.message != null) {
      assertThat(r.errorMessage()).isEqualTo(c.message);
    } else {
      assertThat(r.errorMessage()).isNotBlank();
    }
    List<String> problems = new ArrayList<>();
    for (JsonNode p : r.json().path("error").path("problems")) {
      problems.add(p.path("path").asText() + ": " + p.path("reason").asText());
    }
    for (String expected : c.problems) {
      String[] parts = expected.split(": ", 2);
      if (parts[0].equals("*")) {
        assertThat(problems).as(r.text()).isNotEmpty();
      } else if (parts[1].equals("*")) {
        assertThat(problems).as(r.text()).anyMatch(p -> p.startsWith(parts[0] + ": "));
      } else {
        assertThat(problems).as(r.text()).contains(expected);
      }
    }
    long audited = io.wharf.server.audit.AuditLog.read(fx.store).last() - auditedBefore;
    assertThat(fx.store.revision()).as("nothing but audit entries was written").isEqualTo(revisionBefore + audited);
  }

  /**
   * An oversize body is refused with 413 before it is stored, but the client is still sending
   * it then: the answer must reach the client every time, not be lost to a connection reset
   * (which the client sees as "header parser received no bytes"). Repeated because a reset
   * loses the answer only some of the time.
   */
  @Test
  void oversizeBodiesAlwaysGetTheirAnswer() {
    String big = "{\"kind\":\"Service\",\"pad\":\"" + "x".repeat(RequestBodies.MAX_BYTES + 1024) + "\"}";
    long revisionBefore = fx.store.revision();
    long auditedBefore = io.wharf.server.audit.AuditLog.read(fx.store).last();
    for (int i = 0; i < 30; i++) {
      ApiClient.Response r = api.send(SERVICES, "POST", "application/json", big);
      assertThat(r.status()).as("attempt %d: %s", i, r.text()).isEqualTo(413);
      assertThat(r.errorMessage()).isEqualTo("body is larger than 4194304 bytes (4 MiB)");
      ApiClient.Response after = api.get(SERVICES + "/web");
      assertThat(after.status()).as("attempt %d, the next request on the same client", i).isEqualTo(200);
    }
    long audited = io.wharf.server.audit.AuditLog.read(fx.store).last() - auditedBefore;
    assertThat(fx.store.revision()).as("nothing but audit entries was written").isEqualTo(revisionBefore + audited);
  }
}
