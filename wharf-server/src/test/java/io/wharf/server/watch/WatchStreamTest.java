package io.wharf.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.ControlPlane;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.SseReader;
import io.wharf.server.fixture.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchStreamTest {
  @TempDir Path dir;
  ServerFixture fx;
  ApiClient api;

  void start(ControlPlane.Tuning tuning) {
    fx = ServerFixture.start(TestStores.open(dir), tuning);
    api = fx.client;
  }

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private SseReader watch(String query, Map<String, String> headers) {
    return new SseReader(api.http(), api.uri("/v1/watch" + query), headers);
  }

  private void createService(String ns, String name) {
    var r = api.post("/v1/namespaces/" + ns + "/services", Samples.json(Samples.service(ns, name, 1)));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  private static List<String> names(SseReader reader, String type) {
    return reader.events(type).stream()
        .map(e -> ApiClient.parse(e.data()).path("object").path("metadata").path("name").asText()).toList();
  }

  @Test
  void streamDeliversPutsAndDeletesWithTheLastState() {
    start(ServerFixture.tuning());
    try (SseReader reader = watch("?kinds=services", Map.of())) {
      await().until(() -> reader.comments().contains("watching"));
      createService("default", "web");
      api.delete("/v1/namespaces/default/services/web");
      await().until(() -> reader.events().size() == 2);
      JsonNode put = ApiClient.parse(reader.events().get(0).data());
      assertThat(reader.events().get(0).event()).isEqualTo("PUT");
      assertThat(put.path("type").asText()).isEqualTo("PUT");
      assertThat(put.path("kind").asText()).isEqualTo("Service");
      assertThat(put.path("object").path("spec").path("replicas").asInt()).isEqualTo(1);
      assertThat(reader.events().get(0).id()).isEqualTo(Long.toString(put.path("revision").asLong()));
      JsonNode delete = ApiClient.parse(reader.events().get(1).data());
      assertThat(reader.events().get(1).event()).isEqualTo("DELETE");
      assertThat(delete.path("object").path("metadata").path("name").asText()).isEqualTo("web");
      assertThat(delete.path("revision").asLong()).isEqualTo(fx.store.revision());
    }
  }

  @Test
  void filtersByKindAndNamespace() {
    start(ServerFixture.tuning());
    try (SseReader reader = watch("?kinds=services,configs&namespace=b", Map.of());
        SseReader events = watch("?kinds=events", Map.of())) {
      await().until(() -> reader.comments().contains("watching") && events.comments().contains("watching"));
      createService("a", "one");
      createService("b", "two");
      api.post("/v1/namespaces/b/configs", "{\"metadata\":{\"name\":\"cfg\"},\"spec\":{\"data\":\"x\"}}");
      await().until(() -> reader.events().size() == 2);
      assertThat(names(reader, "PUT")).containsExactly("two", "cfg");
      await().until(() -> events.events().size() == 3);
      assertThat(events.events()).allSatisfy(e ->
          assertThat(ApiClient.parse(e.data()).path("kind").asText()).isEqualTo("Event"));
    }
  }

  @Test
  void resumingWithLastEventIdDeliversExactlyTheMissedChanges() {
    start(ServerFixture.tuning());
    String lastId;
    try (SseReader first = watch("?kinds=services", Map.of())) {
      await().until(() -> first.comments().contains("watching"));
      createService("default", "a");
      await().until(() -> first.events().size() == 1);
      lastId = first.lastEventId();
    }
    createService("default", "b");
    createService("default", "c");
    try (SseReader second = watch("?kinds=services", Map.of("Last-Event-ID", lastId))) {
      await().until(() -> second.events().size() == 2);
      createService("default", "d");
      await().until(() -> second.events().size() == 3);
      assertThat(names(second, "PUT")).containsExactly("b", "c", "d");
    }
  }

  @Test
  void fromRevisionOlderThanTheReplayBufferIsServedByTheStore() {
    start(new ControlPlane.Tuning(Duration.ofMillis(500), 2, 1024, 10_000, Duration.ofHours(1), InstantSource.system())
        .withControllers(false));
    var list = api.get("/v1/namespaces/default/services");
    long from = list.json().path("revision").asLong() + 1;
    for (String name : List.of("a", "b", "c", "d")) {
      createService("default", name);
    }
    try (SseReader reader = watch("?kinds=services&fromRevision=" + from, Map.of())) {
      await().until(() -> reader.events().size() == 4);
      assertThat(names(reader, "PUT")).containsExactly("a", "b", "c", "d");
    }
  }

  @Test
  void aCompactedRevisionEndsTheStreamWithACompactedEvent() {
    start(new ControlPlane.Tuning(Duration.ofMillis(500), 2, 1024, 10_000, Duration.ofHours(1), InstantSource.system())
        .withControllers(false));
    for (String name : List.of("a", "b", "c", "d")) {
      createService("default", name);
    }
    long compactAt = fx.store.revision() - 1;
    fx.store.compact(compactAt);
    try (SseReader reader = watch("?fromRevision=1", Map.of())) {
      await().until(reader::ended);
      assertThat(reader.events()).hasSize(1);
      assertThat(reader.events().get(0).event()).isEqualTo("compacted");
      assertThat(ApiClient.parse(reader.events().get(0).data()).path("compactRevision").asLong()).isEqualTo(compactAt);
    }
  }

  @Test
  void idleStreamsGetKeepAliveComments() {
    start(ServerFixture.tuning());
    try (SseReader reader = watch("", Map.of())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> reader.comments().contains("keep-alive"));
    }
  }

  @Test
  void badWatchParametersAreRejectedBeforeStreaming() {
    start(ServerFixture.tuning());
    var r = api.get("/v1/watch?fromRevision=-1");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorMessage()).isEqualTo("query parameter \"fromRevision\": must be a revision >= 0, got -1");
    var kinds = api.get("/v1/watch?kinds=services,bogus");
    assertThat(kinds.status()).isEqualTo(400);
    assertThat(kinds.json().path("error").path("problems").get(0).path("path").asText()).isEqualTo("kinds");
  }

  @Test
  void closingTheServerEndsOpenStreamsWithAClosedEvent() {
    start(ServerFixture.tuning());
    try (SseReader reader = watch("", Map.of())) {
      await().until(() -> reader.comments().contains("watching"));
      fx.server.close();
      await().until(reader::ended);
      assertThat(reader.events()).extracting(SseReader.Event::event).containsExactly("closed");
      JsonNode data = ApiClient.parse(reader.events().get(0).data());
      assertThat(data.path("reason").asText()).isEqualTo("shutdown");
      assertThat(data.path("message").asText()).isEqualTo("server is shutting down");
    }
  }

  @Test
  void losingTheStoreWatchEndsStreamsAndTheHubRecovers() {
    var store = new io.wharf.server.fixture.InterferingStore(TestStores.open(dir));
    fx = ServerFixture.start(store, ServerFixture.tuning());
    api = fx.client;
    try (SseReader before = watch("?kinds=services", Map.of())) {
      await().until(() -> before.comments().contains("watching"));
      createService("default", "a");
      await().until(() -> before.events().size() == 1);
      store.breakWatches(new io.wharf.store.StoreException("connection lost"));
      await().until(before::ended);
      assertThat(before.events()).extracting(SseReader.Event::event).containsExactly("PUT", "closed");
      assertThat(ApiClient.parse(before.events().get(1).data()).path("reason").asText()).isEqualTo("error");

      createService("default", "b");
      try (SseReader after = watch("?kinds=services", Map.of("Last-Event-ID", before.lastEventId()))) {
        await().atMost(Duration.ofSeconds(10)).until(() -> after.events().size() == 1);
        createService("default", "c");
        await().atMost(Duration.ofSeconds(10)).until(() -> after.events().size() == 2);
        assertThat(names(after, "PUT")).containsExactly("b", "c");
      }
    }
  }
}
