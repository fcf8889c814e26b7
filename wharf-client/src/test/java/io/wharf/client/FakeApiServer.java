package io.wharf.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on a loopback port that answers with what the test scripts and records
 * every request, for testing the client's wire behaviour without the control plane.
 */
public final class FakeApiServer implements AutoCloseable {

  /** A request as the server saw it. */
  public record Recorded(String method, String path, String query, String contentType,
      String lastEventId, String body) {
  }

  /** Answers one exchange; may stream. */
  @FunctionalInterface
  public interface Handler {
    void handle(HttpExchange exchange, Recorded request) throws IOException;
  }

  private final HttpServer server;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();

  public FakeApiServer(Handler handler) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Recorded r = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            exchange.getRequestHeaders().getFirst("Last-Event-ID"), body);
        requests.add(r);
        handler.handle(exchange, r);
      }
    });
    server.start();
  }

  /** A server answering every request with one status and body. */
  public static FakeApiServer answering(int status, String json) {
    return new FakeApiServer((exchange, request) -> respond(exchange, status, json));
  }

  public static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  public URI address() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
