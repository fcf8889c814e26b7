package io.wharf.client.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.ApiException;
import io.wharf.client.ClientSettings;
import io.wharf.client.FakeApiServer;
import io.wharf.client.WharfClient;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WatchStreamTest {

  private static final class Recording implements WatchListener {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final AtomicReference<Throwable> closedWith = new AtomicReference<>();
    volatile boolean closed;

    @Override
    public void onEvent(WatchEvent event) {
      seen.add(event.type() + " " + event.kind() + " " + event.revision() + " "
          + event.object().path("metadata").path("name").asText());
    }

    @Override
    public void onCompacted(long compactRevision) {
      seen.add("compacted " + compactRevision);
    }

    @Override
    public void onClosed(Throwable error) {
      closedWith.set(error);
      closed = true;
    }
  }

  private static void send(HttpExchange exchange, String... messages) throws IOException {
    OutputStream out = exchange.getResponseBody();
    for (String m : messages) {
      out.write(m.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static String event(long revision, String type, String name) {
    return "id: " + revision + "\nevent: " + type + "\ndata: {\"type\":\"" + type
        + "\",\"kind\":\"Service\",\"revision\":" + revision
        + ",\"object\":{\"metadata\":{\"name\":\"" + name + "\"}}}\n\n";
  }

  @Test
  void aDroppedConnectionResumesAfterTheLastEventIdAndCompactionEndsTheWatch() throws Exception {
    AtomicInteger connection = new AtomicInteger();
    try (FakeApiServer server = new FakeApiServer((exchange, request) -> {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      if (connection.getAndIncrement() == 0) {
        send(exchange, ": keep-alive\n\n", event(5, "PUT", "web"), event(6, "DELETE", "api"));
      } else {
        send(exchange, event(6, "DELETE", "api"), event(7, "PUT", "db"),
            "event: compacted\ndata: {\"compactRevision\": 9}\n\n");
      }
    });
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      Recording listener = new Recording();
      WatchStream stream = client.watch(
          WatchRequest.of("services", "instances").inNamespace("default").from(5), listener);

      await().atMost(Duration.ofSeconds(10)).until(() -> listener.closed);
      assertThat(listener.seen).containsExactly(
          "PUT Service 5 web", "DELETE Service 6 api", "PUT Service 7 db", "compacted 9");
      assertThat(listener.closedWith.get()).isNull();
      assertThat(stream.lastRevision()).isEqualTo(7);
      assertThat(server.requests()).extracting(r -> r.query() + " | " + r.lastEventId())
          .containsExactly(
              "kinds=services%2Cinstances&namespace=default&fromRevision=5 | null",
              "kinds=services%2Cinstances&namespace=default&fromRevision=7 | 6");
    }
  }

  /** A change of a revision with several changes: only the revision's last carries the id. */
  private static String change(long revision, String name, boolean last) {
    return (last ? "id: " + revision + "\n" : "") + "event: PUT\ndata: {\"type\":\"PUT\",\"kind\":\"Instance\","
        + "\"revision\":" + revision + ",\"object\":{\"metadata\":{\"name\":\"" + name + "\"}}}\n\n";
  }

  @Test
  void everyChangeOfAOneTransactionRevisionIsDeliveredOnceAlsoAcrossAReconnectInsideIt() throws Exception {
    AtomicInteger connection = new AtomicInteger();
    try (FakeApiServer server = new FakeApiServer((exchange, request) -> {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      if (connection.getAndIncrement() == 0) {
        send(exchange, change(7, "a", false), change(7, "b", true), change(8, "c", false), change(8, "d", false));
      } else {
        send(exchange, change(8, "c", false), change(8, "d", false), change(8, "e", true),
            "event: compacted\ndata: {\"compactRevision\": 9}\n\n");
      }
    });
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      Recording listener = new Recording();
      WatchStream stream = client.watch(WatchRequest.of("instances").from(7), listener);

      await().atMost(Duration.ofSeconds(10)).until(() -> listener.closed);
      assertThat(listener.seen).containsExactly("PUT Instance 7 a", "PUT Instance 7 b", "PUT Instance 8 c",
          "PUT Instance 8 d", "PUT Instance 8 e", "compacted 9");
      assertThat(stream.lastRevision()).isEqualTo(8);
      assertThat(server.requests()).extracting(r -> r.query() + " | " + r.lastEventId())
          .containsExactly("kinds=instances&fromRevision=7 | null", "kinds=instances&fromRevision=8 | 7");
    }
  }

  @Test
  void aCompactedRevisionAnsweredWith410IsReportedAsCompaction() throws Exception {
    try (FakeApiServer server = FakeApiServer.answering(410,
        "{\"error\":{\"code\":\"compacted\",\"message\":\"revision 3 is compacted\"}}");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      Recording listener = new Recording();
      client.watch(WatchRequest.of("services").from(3), listener);

      await().atMost(Duration.ofSeconds(10)).until(() -> listener.closed);
      assertThat(listener.seen).containsExactly("compacted 2");
      assertThat(listener.closedWith.get()).isNull();
    }
  }

  @Test
  void aClientErrorEndsTheWatchWithTheApiException() throws Exception {
    try (FakeApiServer server = FakeApiServer.answering(400,
        "{\"error\":{\"code\":\"malformed\",\"message\":\"unknown kind \\\"sevices\\\"\"}}");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      Recording listener = new Recording();
      client.watch(WatchRequest.of("sevices"), listener);

      await().atMost(Duration.ofSeconds(10)).until(() -> listener.closed);
      assertThat(listener.closedWith.get()).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.serverMessage()).isEqualTo("unknown kind \"sevices\""));
    }
  }

  @Test
  void closingAnOpenWatchEndsItWithoutError() throws Exception {
    try (FakeApiServer server = new FakeApiServer((exchange, request) -> {
      exchange.sendResponseHeaders(200, 0);
      send(exchange, event(1, "PUT", "web"));
      try {
        Thread.sleep(Duration.ofMinutes(1)); // holds the stream open until the client leaves
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      Recording listener = new Recording();
      WatchStream stream = client.watch(WatchRequest.of("services"), listener);
      await().atMost(Duration.ofSeconds(10)).until(() -> listener.seen.size() == 1);

      stream.close();

      assertThat(stream.awaitEnd(Duration.ofSeconds(10))).isTrue();
      assertThat(listener.closedWith.get()).isNull();
      assertThat(listener.seen).containsExactly("PUT Service 1 web");
      assertThat(server.requests()).extracting(FakeApiServer.Recorded::query)
          .containsExactly("kinds=services");
    }
  }

  @Test
  void aSilentConnectionIsDroppedAndResumedAfterTheIdleTimeout() throws Exception {
    AtomicInteger connection = new AtomicInteger();
    try (FakeApiServer server = new FakeApiServer((exchange, request) -> {
      exchange.sendResponseHeaders(200, 0);
      if (connection.getAndIncrement() == 0) {
        send(exchange, event(1, "PUT", "web"));
        try {
          Thread.sleep(Duration.ofMinutes(1)); // a partition: open, but nothing arrives
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        send(exchange, event(2, "PUT", "api"), "event: compacted\ndata: {\"compactRevision\": 9}\n\n");
      }
    });
        WharfClient client = new WharfClient(ClientSettings.of(server.address())
            .withWatchIdleTimeout(Duration.ofMillis(500)))) {
      Recording listener = new Recording();
      WatchStream stream = client.watch(WatchRequest.of("services").from(1), listener);

      await().atMost(Duration.ofSeconds(20)).until(() -> listener.closed);
      assertThat(listener.seen).containsExactly("PUT Service 1 web", "PUT Service 2 api",
          "compacted 9");
      assertThat(server.requests()).extracting(FakeApiServer.Recorded::lastEventId)
          .containsExactly(null, "1");
      assertThat(stream.lastRevision()).isEqualTo(2);
    }
  }
}
