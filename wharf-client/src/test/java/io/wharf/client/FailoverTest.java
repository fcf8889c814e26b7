package io.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A client given several servers moves on from one that is down or unavailable. */
class FailoverTest {

  private static URI deadAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  @Test
  void aCommaListOfAddressesParsesIntoServersTriedInOrder() {
    ClientSettings settings = ClientSettings.of("127.0.0.1:7070, http://127.0.0.2:7070/");

    assertThat(settings.addresses()).extracting(URI::toString)
        .containsExactly("http://127.0.0.1:7070", "http://127.0.0.2:7070");
    assertThat(settings.baseUrl()).hasToString("http://127.0.0.1:7070");
    assertThatThrownBy(() -> ClientSettings.of("127.0.0.1:7070,"))
        .hasMessage("not a server address: \"127.0.0.1:7070,\" (empty entry)");
  }

  @Test
  void aCallToADownServerGoesToTheNextAndStaysThere() throws IOException {
    try (FakeApiServer live = FakeApiServer.answering(200, "{\"version\":\"x\"}");
        WharfClient client = new WharfClient(ClientSettings.of(List.of(deadAddress(), live.address())))) {
      assertThat(client.version().path("version").asText()).isEqualTo("x");
      assertThat(client.baseUrl()).isEqualTo(live.address());
      assertThat(client.version().path("version").asText()).isEqualTo("x");
      assertThat(live.requests()).hasSize(2);
    }
  }

  @Test
  void aWriteAnswered503IsSentToTheNextServer() {
    try (FakeApiServer unavailable = FakeApiServer.answering(503,
            "{\"error\":{\"code\":\"unavailable\",\"message\":\"store down\"}}");
        FakeApiServer live = FakeApiServer.answering(200, "{\"kind\":\"Node\"}");
        WharfClient client = new WharfClient(ClientSettings.of(List.of(unavailable.address(), live.address())))) {
      JsonNode body = client.newObject().put("kind", "Node");

      client.put("nodes", null, "n1", body);

      assertThat(unavailable.requests()).hasSize(1);
      assertThat(live.requests()).singleElement().satisfies(r -> {
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.body()).isEqualTo("{\"kind\":\"Node\"}");
      });
    }
  }

  @Test
  void whenEveryServerIsDownTheErrorNamesThemAll() throws IOException {
    URI a = deadAddress();
    URI b = deadAddress();
    try (WharfClient client = new WharfClient(ClientSettings.of(List.of(a, b)))) {
      assertThatThrownBy(client::version).isInstanceOf(ClientException.class)
          .hasMessage("cannot reach any Wharf server (" + a + ", " + b
              + "): connection refused (is it running? set --addr or WHARF_ADDR)");
    }
  }

  /** A server that streams one event, then holds the stream open until it is stopped. */
  private static FakeApiServer streaming(long revision, String name) {
    return new FakeApiServer((exchange, request) -> {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().write(("id: " + revision + "\nevent: PUT\ndata: {\"type\":\"PUT\",\"revision\":"
          + revision + ",\"object\":{\"metadata\":{\"name\":\"" + name + "\"}}}\n\n").getBytes(StandardCharsets.UTF_8));
      exchange.getResponseBody().flush();
      try {
        Thread.sleep(Duration.ofSeconds(30)); // an open stream; the server's stop ends it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Test
  void aWatchWhoseServerDiesResumesOnAnotherFromItsLastRevision() {
    FakeApiServer first = streaming(7, "web");
    try (FakeApiServer second = streaming(8, "api");
        WharfClient client = new WharfClient(ClientSettings.of(List.of(first.address(), second.address())))) {
      List<Long> revisions = new CopyOnWriteArrayList<>();
      try (var stream = client.watch(WatchRequest.of("services"), new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {
          revisions.add(event.revision());
        }
      })) {
        await().atMost(Duration.ofSeconds(10)).until(() -> revisions.size() == 1);
        first.close();

        await().atMost(Duration.ofSeconds(20)).until(() -> revisions.size() == 2);
        assertThat(revisions).containsExactly(7L, 8L);
        assertThat(second.requests()).first().satisfies(r -> assertThat(r.lastEventId()).isEqualTo("7"));
      }
    } finally {
      first.close();
    }
  }

  @Test
  void everyChangeOfOneRevisionIsDeliveredThoughOnlyTheLastCarriesTheId() {
    try (FakeApiServer server = new FakeApiServer((exchange, request) -> {
          exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          StringBuilder body = new StringBuilder();
          for (String name : List.of("a", "b", "c")) {
            if (name.equals("c")) {
              body.append("id: 11\n");
            }
            body.append("event: PUT\ndata: {\"type\":\"PUT\",\"revision\":11,\"object\":{\"metadata\":{\"name\":\"")
                .append(name).append("\"}}}\n\n");
          }
          body.append("id: 12\nevent: PUT\ndata: {\"type\":\"PUT\",\"revision\":12,\"object\":{\"metadata\":{\"name\":\"d\"}}}\n\n");
          exchange.getResponseBody().write(body.toString().getBytes(StandardCharsets.UTF_8));
          exchange.getResponseBody().flush();
          try {
            Thread.sleep(Duration.ofSeconds(30)); // an open stream; the server's stop ends it
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      List<String> names = new CopyOnWriteArrayList<>();
      try (var stream = client.watch(WatchRequest.of("instances"), new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {
          names.add(event.revision() + ":" + event.object().path("metadata").path("name").asText());
        }
      })) {
        await().atMost(Duration.ofSeconds(10)).until(() -> names.size() == 4);
        assertThat(names).containsExactly("11:a", "11:b", "11:c", "12:d");
        assertThat(stream.lastRevision()).isEqualTo(12);
      }
    }
  }
}
