package io.wharf.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wharf.testkit.net.LoopbackPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback (JDK HttpServer, a virtual thread per request). Answers
 * {@code status} with body {@code name}; the first {@code failFirst} requests answer 503;
 * {@code /hold} waits for {@link #release()}. Records the headers it saw.
 */
final class TestBackend implements AutoCloseable {
  final String name;
  final int port;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final List<com.sun.net.httpserver.Headers> seen = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  volatile int failFirst;
  private final CountDownLatch hold = new CountDownLatch(1);
  private final HttpServer server;

  TestBackend(String name) throws IOException {
    this.name = name;
    this.port = LoopbackPorts.free();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    inFlight.incrementAndGet();
    try {
      int n = requests.incrementAndGet();
      seen.add(ex.getRequestHeaders());
      paths.add(ex.getRequestURI().toString());
      ex.getRequestBody().readAllBytes();
      if (ex.getRequestURI().getPath().endsWith("/hold")) {
        hold.await();
      }
      int code = n <= failFirst ? 503 : status;
      byte[] body = name.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(code, body.length);
      ex.getResponseBody().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
      inFlight.decrementAndGet();
    }
  }

  void release() {
    hold.countDown();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
