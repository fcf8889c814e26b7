package io.wharf.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on loopback that answers "METHOD /path" with scripted status and JSON
 * (404 with the API's error shape otherwise) and records what it was asked, for testing how
 * commands react to answers the real server gives only in races (409 on apply).
 */
public final class ScriptedServer implements AutoCloseable {

  private record Answer(int status, String body) {
  }

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  public ScriptedServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(query == null ? key : key + "?" + query);
        Answer answer = answers.getOrDefault(key, new Answer(404,
            "{\"error\":{\"code\":\"not_found\",\"message\":\"no route " + key + "\"}}"));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    });
    server.start();
  }

  public ScriptedServer on(String methodAndPath, int status, String json) {
    answers.put(methodAndPath, new Answer(status, json));
    return this;
  }

  public String address() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
