package io.wharf.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventRecordingTest {
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

  private static List<JsonNode> items(ApiClient.Response r) {
    List<JsonNode> out = new ArrayList<>();
    r.json().path("items").forEach(out::add);
    return out;
  }

  @Test
  void everyChangeRecordsAnEventInTheSameRevision() {
    var created = api.post("/v1/namespaces/default/services", Samples.json(Samples.service("default", "web", 1)));
    var replaced = api.put("/v1/namespaces/default/services/web", Samples.json(Samples.service("default", "web", 2)));
    var deleted = api.delete("/v1/namespaces/default/services/web");
    assertThat(deleted.status()).isEqualTo(200);

    List<JsonNode> events = items(api.get("/v1/events"));
    assertThat(events).hasSize(3);
    assertThat(events).extracting(e -> e.path("spec").path("type").asText())
        .containsExactly("Created", "Updated", "Deleted");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.path("kind").asText()).isEqualTo("Event");
      assertThat(e.path("metadata").path("namespace").asText()).isEqualTo("default");
      assertThat(e.path("spec").path("involved").path("kind").asText()).isEqualTo("Service");
      assertThat(e.path("spec").path("involved").path("name").asText()).isEqualTo("web");
      assertThat(e.path("spec").path("at").asText()).isNotEmpty();
    });
    assertThat(events.get(0).path("metadata").path("revision").asLong())
        .isEqualTo(created.json().path("metadata").path("revision").asLong());
    assertThat(events.get(1).path("metadata").path("revision").asLong())
        .isEqualTo(replaced.json().path("metadata").path("revision").asLong());
    assertThat(events.get(2).path("metadata").path("revision").asLong()).isEqualTo(fx.store.revision());
    assertThat(events).extracting(e -> e.path("metadata").path("name").asText())
        .containsExactly("0000000000000001", "0000000000000002", "0000000000000003");
  }

  @Test
  void eventsFilterByInvolvedObjectAndNamespace() {
    api.post("/v1/namespaces/a/services", Samples.json(Samples.service("a", "web", 1)));
    api.post("/v1/namespaces/b/services", Samples.json(Samples.service("b", "api", 1)));
    assertThat(items(api.get("/v1/events?involved=Service/api")))
        .extracting(e -> e.path("metadata").path("namespace").asText()).containsExactly("b");
    assertThat(items(api.get("/v1/namespaces/a/events")))
        .extracting(e -> e.path("spec").path("involved").path("name").asText()).containsExactly("web");
  }

  @Test
  void anEventCanBeReadByNameInItsNamespaceOnly() {
    api.post("/v1/namespaces/a/services", Samples.json(Samples.service("a", "web", 1)));
    String name = items(api.get("/v1/events")).get(0).path("metadata").path("name").asText();
    var event = api.get("/v1/namespaces/a/events/" + name);
    assertThat(event.status()).as(event.text()).isEqualTo(200);
    assertThat(event.json().path("spec").path("involved").path("name").asText()).isEqualTo("web");
    assertThat(api.get("/v1/namespaces/b/events/" + name).status()).isEqualTo(404);
  }

  @Test
  void eventsAreReadOnly() {
    var r = api.post("/v1/namespaces/default/events", "{}");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.errorCode()).isEqualTo("method_not_allowed");
    assertThat(r.errorMessage()).isEqualTo("Event is read-only");
  }

  @Test
  void prunerKeepsOnlyTheNewestEvents() {
    for (int i = 0; i < 7; i++) {
      api.post("/v1/namespaces/default/configs", "{\"metadata\":{\"name\":\"c" + i + "\"},\"spec\":{\"data\":\"x\"}}");
    }
    try (EventPruner pruner = new EventPruner(fx.store, 3, Duration.ofHours(1))) {
      assertThat(pruner.pruneNow()).isEqualTo(4);
      assertThat(pruner.pruneNow()).isZero();
    }
    assertThat(items(api.get("/v1/events"))).extracting(e -> e.path("spec").path("involved").path("name").asText())
        .containsExactly("c4", "c5", "c6");
  }
}
