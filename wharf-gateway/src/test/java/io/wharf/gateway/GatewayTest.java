package io.wharf.gateway;

import static io.wharf.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Vertx;
import io.wharf.model.routing.Backend;
import io.wharf.model.routing.LoadBalancing;
import io.wharf.model.routing.RateLimit;
import io.wharf.model.routing.RouteSpec;
import io.wharf.testkit.net.LoopbackPorts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayTest {
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final SwappableSource source = new SwappableSource();
  private Gateway gateway;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    http.shutdownNow();
  }

  private TestBackend backend(String name) throws Exception {
    TestBackend b = new TestBackend(name);
    closing.add(b);
    return b;
  }

  private Gateway gateway(GatewaySettings settings) {
    gateway = Gateway.start(settings, source);
    closing.add(gateway);
    return gateway;
  }

  private Gateway gateway() {
    return gateway(GatewaySettings.listen("127.0.0.1", LoopbackPorts.free(), "127.0.0.1", LoopbackPorts.free())
        .withEventLoops(2).withBreakerOpenFor(Duration.ofMillis(300)));
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.address().getPort() + path))
        .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.address().getPort() + path))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static RouteSpec withRetries(RouteSpec s, int retries) {
    return new RouteSpec(s.host(), s.path(), s.backends(), s.stripPrefix(), s.timeout(), retries, s.rateLimit(),
        s.auth(), s.headers(), s.priority(), s.loadBalancing(), s.retryNonIdempotent());
  }

  @Test
  void proxiesToTheMatchedRouteKeepingClientAndTraceHeaders() throws Exception {
    TestBackend web = backend("web");
    TestBackend api = backend("api");
    gateway();
    RouteSpec apiRoute = new RouteSpec(null, "/api", List.of(new Backend("api", "http", 100)), true, null, 0, null,
        null);
    source.set(new Snapshots().service("web", web.port).service("api", api.port)
        .route("web", to("/", "web")).route("api", apiRoute).build());

    HttpResponse<String> r = get("/api/orders?x=1", "X-Forwarded-For", "10.0.0.9",
        "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("api");
    assertThat(api.paths).containsExactly("/orders?x=1");
    var h = api.seen.get(0);
    assertThat(h.getFirst("X-Forwarded-For")).isEqualTo("10.0.0.9, 127.0.0.1");
    assertThat(h.getFirst("Forwarded")).startsWith("for=127.0.0.1;proto=http;host=");
    assertThat(h.getFirst("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(h.getFirst("traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
        .doesNotContain("00f067aa0ba902b7").endsWith("-01");

    assertThat(get("/").body()).isEqualTo("web");
    assertThat(web.seen.get(0).getFirst("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(get("/apix").body()).isEqualTo("web");
  }

  @Test
  void unmatchedRequestAnswers404AndNoEndpoint503() throws Exception {
    gateway();
    RouteSpec onlyHost = new RouteSpec("shop.local", "/", List.of(new Backend("web", "http", 100)), false, null, 0,
        null, null);
    source.set(new Snapshots().service("web").route("shop", onlyHost).build());
    assertThat(get("/").statusCode()).isEqualTo(404);
    HttpResponse<String> r = get("/", "X-Test", "1");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).startsWith("no route for ");
  }

  @Test
  void idempotentRequestsAreRetriedButPostIsNot() throws Exception {
    TestBackend flaky = backend("flaky");
    flaky.failFirst = 1;
    TestBackend flakyPost = backend("flaky-post");
    flakyPost.failFirst = 1;
    gateway();
    source.set(new Snapshots().service("a", flaky.port).service("b", flakyPost.port)
        .route("a", withRetries(to("/a", "a"), 2)).route("b", withRetries(to("/b", "b"), 2)).build());

    HttpResponse<String> g = get("/a/x");
    assertThat(g.statusCode()).isEqualTo(200);
    assertThat(flaky.requests.get()).isEqualTo(2);

    HttpResponse<String> p = post("/b/x", "order");
    assertThat(p.statusCode()).isEqualTo(503);
    assertThat(flakyPost.requests.get()).isEqualTo(1);
  }

  @Test
  void breakerOpensThenProbesHalfOpenThenCloses() throws Exception {
    TestBackend b = backend("b");
    b.status = 500;
    gateway();
    source.set(new Snapshots().service("b", b.port).route("b", to("/", "b")).build());
    String address = "127.0.0.1:" + b.port;

    for (int i = 0; i < 5; i++) {
      assertThat(get("/").statusCode()).isEqualTo(500);
    }
    assertThat(gateway.breakerState(address)).contains(CircuitBreaker.State.OPEN);
    int seen = b.requests.get();
    HttpResponse<String> refused = get("/");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(b.requests.get()).isEqualTo(seen);

    b.status = 200;
    await().atMost(Duration.ofSeconds(10))
        .until(() -> gateway.breakerState(address).orElseThrow() == CircuitBreaker.State.HALF_OPEN);
    assertThat(get("/").statusCode()).isEqualTo(200);
    assertThat(get("/").statusCode()).isEqualTo(200);
    assertThat(gateway.breakerState(address)).contains(CircuitBreaker.State.CLOSED);

    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + gateway.adminAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("wharf_gateway_requests_total{code=\"5xx\",route=\"default/b\"} 6.0")
        .contains("wharf_gateway_breakers{state=\"closed\"} 1.0")
        .contains("wharf_gateway_request_duration_seconds_bucket")
        .contains("wharf_gateway_upstream_errors_total{reason=\"status\",route=\"default/b\"} 5.0");
  }

  @Test
  void rateLimitAnswers429WithRetryAfterPerClientKey() throws Exception {
    TestBackend b = backend("b");
    gateway();
    RouteSpec limited = new RouteSpec(null, "/", List.of(new Backend("b", "http", 100)), false, null, 0,
        new RateLimit(2, Duration.ofMinutes(1), 2, "x-api-key"), null);
    source.set(new Snapshots().service("b", b.port).route("b", limited).build());

    assertThat(get("/", "X-Api-Key", "alice").statusCode()).isEqualTo(200);
    assertThat(get("/", "X-Api-Key", "alice").statusCode()).isEqualTo(200);
    HttpResponse<String> third = get("/", "X-Api-Key", "alice");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).contains("30");
    assertThat(get("/", "X-Api-Key", "bob").statusCode()).isEqualTo(200);
    assertThat(b.requests.get()).isEqualTo(3);
  }

  @Test
  void weightedBackendsSplitTrafficAndZeroWeightGetsNone() throws Exception {
    TestBackend stable = backend("stable");
    TestBackend canary = backend("canary");
    TestBackend off = backend("off");
    gateway();
    RouteSpec split = new RouteSpec(null, "/", List.of(new Backend("stable", "http", 90),
        new Backend("canary", "http", 10), new Backend("off", "http", 0)), false, null, 0, null, null,
        Map.of(), 0, LoadBalancing.LEAST_REQUESTS, false);
    source.set(new Snapshots().service("stable", stable.port).service("canary", canary.port)
        .service("off", off.port).route("split", split).build());
    for (int i = 0; i < 200; i++) {
      assertThat(get("/").statusCode()).isEqualTo(200);
    }
    assertThat(off.requests.get()).isZero();
    assertThat(canary.requests.get()).isBetween(5, 45);
    assertThat(stable.requests.get()).isEqualTo(200 - canary.requests.get());
  }

  @Test
  void drainedEndpointFinishesInFlightAndNewRequestsGoElsewhereWithoutFailures() throws Exception {
    TestBackend old = backend("old");
    TestBackend fresh = backend("fresh");
    gateway();
    source.set(new Snapshots().service("web", old.port).route("web", to("/", "web")).build());
    CompletableFuture<HttpResponse<String>> held = http.sendAsync(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/hold")).build(),
        HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> old.inFlight.get() == 1);

    source.set(new Snapshots().service("web", old.port, fresh.port).route("web", to("/", "web")).build());
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    AtomicInteger sent = new AtomicInteger();
    try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        workers.add(load.submit(() -> {
          while (sent.incrementAndGet() <= 400) {
            statuses.add(get("/x").statusCode());
          }
          return null;
        }));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> statuses.size() >= 100);
      source.set(new Snapshots().service("web", fresh.port).route("web", to("/", "web")).build());
      int oldAfterSwap = old.requests.get();
      old.release();
      assertThat(held.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> old.inFlight.get() == 0);
      old.close(); // the drained instance goes away mid-load
      for (Future<?> f : workers) {
        f.get(60, TimeUnit.SECONDS);
      }
      // requests picked before the swap may still have reached old; none after it finished
      assertThat(old.requests.get()).isLessThanOrEqualTo(oldAfterSwap + 4);
    }
    assertThat(statuses).hasSize(400).containsOnly(200);
    assertThat(fresh.requests.get()).isGreaterThan(0);
  }

  @Test
  void upstreamSilentPastTheRouteTimeoutAnswers504AndTheNextRequestIsServed() throws Exception {
    TestBackend b = backend("b");
    closing.add(b::release);
    gateway();
    RouteSpec r = to("/", "b");
    source.set(new Snapshots().service("b", b.port).route("b", new RouteSpec(r.host(), r.path(), r.backends(),
        r.stripPrefix(), Duration.ofMillis(300), 0, r.rateLimit(), r.auth(), r.headers(), r.priority(),
        r.loadBalancing(), r.retryNonIdempotent())).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/").statusCode() == 200);

    HttpResponse<String> held = get("/hold");

    assertThat(held.statusCode()).isEqualTo(504);
    assertThat(held.body()).isEqualTo("upstream failed (timeout)\n");
    assertThat(get("/").body()).isEqualTo("b");
  }

  @Test
  void oversizedMalformedAndSlowRequestsAreRefused() throws Exception {
    TestBackend b = backend("b");
    gateway(GatewaySettings.listen("127.0.0.1", LoopbackPorts.free(), "127.0.0.1", -1).withEventLoops(1)
        .withLimits(1024, 4096, Duration.ofMillis(800), Duration.ofMillis(300)));
    source.set(new Snapshots().service("b", b.port).route("b", to("/", "b")).build());
    int port = gateway.address().getPort();

    assertThat(raw(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + "a".repeat(2000)))
        .startsWith("HTTP/1.1 413");
    assertThat(raw(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(8000) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 431");
    assertThat(raw(port, "GET /" + "u".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).matches("(?s)HTTP/1\\.[01] 414 .*");
    assertThat(raw(port, "GARBAGE\r\n\r\n")).matches("(?s)HTTP/1\\.[01] 400 .*");
    // a body that never completes: 408 after the body timeout
    assertThat(raw(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")).startsWith("HTTP/1.1 408");
    // headers that never complete: the idle timeout closes the connection
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(b.requests.get()).isZero();
  }

  @Test
  void clientTricklingItsHeadersIsAnswered408AndCutOffByTheHeaderTimeout() throws Exception {
    TestBackend b = backend("b");
    // idle timeout far above the header timeout: a byte every 50 ms keeps the idle timer from ever firing
    gateway(GatewaySettings.listen("127.0.0.1", LoopbackPorts.free(), "127.0.0.1", -1).withEventLoops(1)
        .withLimits(1024, 4096, Duration.ofSeconds(30), Duration.ofSeconds(30)).withHeaderTimeout(Duration.ofMillis(500)));
    source.set(new Snapshots().service("b", b.port).route("b", to("/", "b")).build());
    int port = gateway.address().getPort();
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/").statusCode() == 200);
    int before = b.requests.get();

    // a fresh connection trickling its first request's head
    try (Socket s = new Socket("127.0.0.1", port)) {
      assertThat(trickleHeadUntilAnswered(s, "GET / HTTP/1.1\r\nHost: x\r\n" + "X-Slow: 1\r\n".repeat(1000)))
          .startsWith("HTTP/1.1 408").contains("Connection: close").endsWith("request head not received in time\n");
    }
    // a kept-alive connection: the first request is fine, the second one's head trickles
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String first = readResponse(s.getInputStream());
      assertThat(first).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nb");
      assertThat(trickleHeadUntilAnswered(s, "GET /second HTTP/1.1\r\nHost: x\r\n" + "X-Slow: 1\r\n".repeat(1000)))
          .startsWith("HTTP/1.1 408");
    }
    assertThat(b.requests.get()).isEqualTo(before + 1);
  }

  /**
   * Writes {@code head} a byte every 50 ms from another thread (for up to 50 s) and returns all
   * the gateway sends until it closes the connection. A gateway that waited for the whole head
   * would let this run out the read timeout (20 s) and fail.
   */
  private static String trickleHeadUntilAnswered(Socket s, String head) throws Exception {
    s.setSoTimeout(20_000);
    byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);
    ExecutorService trickler = Executors.newSingleThreadExecutor();
    try {
      trickler.submit(() -> {
        OutputStream out = s.getOutputStream();
        for (byte x : bytes) {
          out.write(x);
          out.flush();
          Thread.sleep(50); // the slow client's pace, not a wait for a condition
        }
        return null;
      });
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    } finally {
      trickler.shutdownNow();
    }
  }

  /** Reads one response with a Content-Length body. */
  private static String readResponse(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IllegalStateException("connection closed within the head: " + head);
      }
      head.append((char) c);
    }
    var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
    return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }

  /** Sends raw bytes and returns what the gateway answers before it closes or stops talking. */
  private static String raw(int port, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int n = in.read(buf);
      return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
    }
  }

  @Test
  void webSocketMessagesPassThroughBothWays() throws Exception {
    Vertx vertx = Vertx.vertx();
    closing.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    int wsPort = LoopbackPorts.free();
    vertx.createHttpServer().webSocketHandler(ws -> ws.textMessageHandler(t -> ws.writeTextMessage("echo:" + t)))
        .listen(wsPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gateway();
    source.set(new Snapshots().service("ws", wsPort).route("ws", to("/", "ws")).build());

    CompletableFuture<String> answer = new CompletableFuture<>();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(
        URI.create("ws://127.0.0.1:" + gateway.address().getPort() + "/chat"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            answer.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    ws.sendText("hello", true);
    assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("echo:hello");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
  }
}
