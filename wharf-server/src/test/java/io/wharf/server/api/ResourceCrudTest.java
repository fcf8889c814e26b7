package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResourceCrudTest {
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

  static String collection(Kind kind) {
    return kind.namespaced() ? "/v1/namespaces/team-a/" + kind.plural() : "/v1/" + kind.plural();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Kind.class, mode = EnumSource.Mode.EXCLUDE, names = "EVENT")
  void everyKindCanBeCreatedReadReplacedAndDeleted(Kind kind) {
    Resource sample = Samples.of(kind, "team-a", "thing");
    String object = collection(kind) + "/thing";

    var created = api.post(collection(kind), Samples.json(sample));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    long r1 = created.json().path("metadata").path("revision").asLong();
    assertThat(r1).isPositive();
    assertThat(created.json().path("kind").asText()).isEqualTo(kind.displayName());
    assertThat(created.json().path("metadata").path("createdAt").asText()).isNotEmpty();

    var read = api.get(object);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json()).isEqualTo(created.json());

    var again = api.post(collection(kind), Samples.json(sample));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("already_exists");

    var relabelled = Samples.tree(sample.withMetadata(sample.metadata().withLabels(Map.of("tier", "gold"))
        .withRevision(r1)));
    var replaced = api.put(object, relabelled.toString());
    assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
    long r2 = replaced.json().path("metadata").path("revision").asLong();
    assertThat(r2).isGreaterThan(r1);
    assertThat(replaced.json().path("metadata").path("labels").path("tier").asText()).isEqualTo("gold");
    assertThat(replaced.json().path("metadata").path("createdAt"))
        .isEqualTo(created.json().path("metadata").path("createdAt"));

    var stalePut = api.put(object, relabelled.toString());
    assertThat(stalePut.status()).isEqualTo(409);
    assertThat(stalePut.errorCode()).isEqualTo("conflict");
    assertThat(stalePut.errorMessage()).isEqualTo(kind.displayName() + " \"thing\" is at revision " + r2
        + ", not " + r1 + "; read it again and retry");

    var staleDelete = api.delete(object + "?revision=" + r1);
    assertThat(staleDelete.status()).isEqualTo(409);
    assertThat(staleDelete.errorCode()).isEqualTo("conflict");
    assertThat(api.get(object).status()).isEqualTo(200);

    var deleted = api.delete(object + "?revision=" + r2);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().path("metadata").path("revision").asLong()).isEqualTo(r2);
    assertThat(api.get(object).status()).isEqualTo(404);
    var gone = api.delete(object);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.errorCode()).isEqualTo("not_found");
  }

  @Test
  void putCreatesWhenAbsentAndKeepsStatusOnReplace() {
    String path = "/v1/namespaces/default/services/web";
    var created = api.put(path, Samples.json(Samples.service("default", "web", 1)));
    assertThat(created.status()).isEqualTo(201);

    var status = Samples.tree(Samples.service("default", "web", 1));
    status.withObjectProperty("status").put("ready", 1);
    var statusWrite = api.put(path + "/status", status.toString());
    assertThat(statusWrite.status()).as(statusWrite.text()).isEqualTo(200);

    var replaced = api.put(path, Samples.json(Samples.service("default", "web", 3)));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(replaced.json().path("status")).isEqualTo(statusWrite.json().path("status"));
  }

  @Test
  void putOfAnIdenticalObjectWritesNothing() {
    String path = "/v1/namespaces/default/services/web";
    var created = api.put(path, Samples.json(Samples.service("default", "web", 1)));
    long revision = fx.store.revision();
    var same = api.put(path, Samples.json(Samples.service("default", "web", 1)));
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.json().path("metadata").path("revision")).isEqualTo(created.json().path("metadata").path("revision"));
    assertThat(fx.store.revision()).as("only the call's audit entry").isEqualTo(revision + 1);
  }

  @Test
  void yamlBodiesAreAccepted() {
    String yaml = """
        kind: Config
        metadata:
          name: greeting
        spec:
          data: hello
        """;
    var r = api.send("/v1/namespaces/default/configs", "POST", "application/yaml", yaml);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    assertThat(r.json().path("metadata").path("namespace").asText()).isEqualTo("default");
    assertThat(r.json().path("spec").path("data").asText()).isEqualTo("hello");
  }
}
