package io.wharf.gateway;

import static io.wharf.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.testkit.net.LoopbackPorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 as the gateway speaks it on both sides, with raw sockets: pipelining, HTTP/1.0
 * clients, body framing (chunked, close-delimited, HEAD), 100-continue, hop-by-hop headers,
 * upstream connection reuse, back-pressure towards a slow client, and a client leaving mid-answer.
 */
class GatewayHttpTest {
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final SwappableSource source = new SwappableSource();
  private Gateway gateway;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  /** A gateway with one event loop (so one upstream pool) routing everything to {@code backend}. */
  private int gatewayTo(RawBackend backend) {
    return gatewayTo(backend, GatewaySettings.listen("127.0.0.1", LoopbackPorts.free(), "127.0.0.1", -1).withEventLoops(1));
  }

  private int gatewayTo(RawBackend backend, GatewaySettings settings) {
    closing.add(backend);
    gateway = Gateway.start(settings, source);
    closing.add(gateway);
    source.set(new Snapshots().service("b", backend.port).route("b", to("/", "b")).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.table().routes().isEmpty());
    return gateway.address().getPort();
  }

  /** Answers every request with its own path as the body. */
  private static RawBackend pathEcho() throws IOException {
    return new RawBackend((r, out) -> {
      out.write(RawBackend.answer(200, r.path()));
      return true;
    });
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws Exception {
    int port = gatewayTo(pathEcho());
    try (Socket s = connect(port)) {
      send(s, "GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /third HTTP/1.1\r\nHost: x\r\n\r\n");
      InputStream in = s.getInputStream();
      assertThat(Response.read(in, false).body()).isEqualTo("/first");
      assertThat(Response.read(in, false).body()).isEqualTo("/second");
      assertThat(Response.read(in, false).body()).isEqualTo("/third");
    }
  }

  @Test
  void http10ClientsGetTheirConnectionClosedUnlessTheyAskForKeepAlive() throws Exception {
    int port = gatewayTo(pathEcho());
    try (Socket s = connect(port)) {
      send(s, "GET /once HTTP/1.0\r\n\r\n");
      Response r = Response.read(s.getInputStream(), false);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(r.body()).isEqualTo("/once");
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    try (Socket s = connect(port)) {
      send(s, "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      Response first = Response.read(s.getInputStream(), false);
      assertThat(first.header("connection")).isEqualToIgnoringCase("keep-alive");
      send(s, "GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      assertThat(Response.read(s.getInputStream(), false).body()).isEqualTo("/b");
    }
  }

  @Test
  void chunkedAndCloseDelimitedAnswersAreFramedForEachClient() throws Exception {
    int port = gatewayTo(new RawBackend((r, out) -> {
      if (r.path().equals("/chunked")) {
        out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        return true;
      }
      // an HTTP/1.0 upstream: no length, the body ends when the connection closes
      out.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end".getBytes(StandardCharsets.US_ASCII));
      return false;
    }));
    try (Socket s = connect(port)) {
      send(s, "GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n");
      Response chunked = Response.read(s.getInputStream(), false);
      assertThat(chunked.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(chunked.body()).isEqualTo("hello world");
      send(s, "GET /eof HTTP/1.1\r\nHost: x\r\n\r\n");
      Response eof = Response.read(s.getInputStream(), false);
      assertThat(eof.header("transfer-encoding")).isEqualTo("chunked"); // framed, so the client connection stays
      assertThat(eof.header("content-length")).isNull();
      assertThat(eof.body()).isEqualTo("until the end");
      send(s, "GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n"); // still open
      assertThat(Response.read(s.getInputStream(), false).body()).isEqualTo("hello world");
    }
    try (Socket s = connect(port)) { // HTTP/1.0 knows no chunks: the body ends with the connection
      send(s, "GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      Response r = Response.read(s.getInputStream(), false);
      assertThat(r.header("transfer-encoding")).isNull();
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(r.body()).isEqualTo("hello world");
    }
  }

  @Test
  void headAnswersCarryNoBodyAndTheConnectionGoesOn() throws Exception {
    int port = gatewayTo(new RawBackend((r, out) -> {
      if (r.head().startsWith("HEAD ")) {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        out.write(RawBackend.answer(200, "twelve bytes"));
      }
      return true;
    }));
    try (Socket s = connect(port)) {
      send(s, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
      Response head = Response.read(s.getInputStream(), true);
      assertThat(head.header("content-length")).isEqualTo("12");
      assertThat(head.body()).isEmpty();
      send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(Response.read(s.getInputStream(), false).body()).isEqualTo("twelve bytes");
    }
  }

  @Test
  void aClientExpectingContinueGetsItThenTheAnswer() throws Exception {
    RawBackend backend = new RawBackend((r, out) -> {
      out.write(RawBackend.answer(200, "got " + new String(r.body(), StandardCharsets.UTF_8)));
      return true;
    });
    int port = gatewayTo(backend);
    try (Socket s = connect(port)) {
      send(s, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      Response interim = Response.read(s.getInputStream(), true);
      assertThat(interim.status()).isEqualTo(100);
      send(s, "hello");
      Response r = Response.read(s.getInputStream(), false);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("got hello");
    }
    RawBackend.Request seen = backend.requests.getFirst();
    assertThat(seen.header("expect")).isNull(); // the gateway read the body itself
    assertThat(seen.header("content-length")).isEqualTo("5");
  }

  @Test
  void hopByHopHeadersStayOnTheirHopBothWays() throws Exception {
    RawBackend backend = new RawBackend((r, out) -> {
      out.write(RawBackend.answer(200, "ok", "Connection: close, X-Upstream-Only", "X-Upstream-Only: 1",
          "Keep-Alive: timeout=1", "X-End-To-End: yes"));
      return false;
    });
    int port = gatewayTo(backend);
    try (Socket s = connect(port)) {
      send(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: X-Client-Only\r\nX-Client-Only: secret\r\n"
          + "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Kept: 1\r\n\r\n");
      Response r = Response.read(s.getInputStream(), false);
      assertThat(r.header("x-upstream-only")).isNull();
      assertThat(r.header("keep-alive")).isNull();
      assertThat(r.header("connection")).isNull(); // the upstream's close is not the client's
      assertThat(r.header("x-end-to-end")).isEqualTo("yes");
      send(s, "GET /again HTTP/1.1\r\nHost: x\r\n\r\n"); // the client's connection is still open
      assertThat(Response.read(s.getInputStream(), false).status()).isEqualTo(200);
    }
    RawBackend.Request seen = backend.requests.getFirst();
    for (String gone : List.of("x-client-only", "keep-alive", "te", "proxy-authorization", "connection")) {
      assertThat(seen.header(gone)).as(gone).isNull();
    }
    assertThat(seen.header("x-kept")).isEqualTo("1");
    assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(backend.connections.get()).isEqualTo(2); // the upstream closed after each answer
  }

  @Test
  void upstreamConnectionsAreKeptAliveAndReused() throws Exception {
    RawBackend backend = pathEcho();
    int port = gatewayTo(backend);
    for (int i = 0; i < 20; i++) {
      try (Socket s = connect(port)) { // a new client connection each time: the upstream one is the pool's
        send(s, "GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(Response.read(s.getInputStream(), false).body()).isEqualTo("/" + i);
      }
    }
    assertThat(backend.connections.get()).isEqualTo(1);
  }

  @Test
  void aLargeAnswerReachesASlowClientWhole() throws Exception {
    byte[] big = new byte[16 << 20];
    new java.util.Random(42).nextBytes(big);
    int port = gatewayTo(new RawBackend((r, out) -> {
      out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(big);
      return true;
    }));
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(8192);
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
      s.setSoTimeout(30_000);
      send(s, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
      InputStream in = s.getInputStream();
      Response head = Response.readHead(in);
      assertThat(head.header("content-length")).isEqualTo(Integer.toString(big.length));
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 << 10];
      long total = 0;
      int reads = 0;
      while (total < big.length) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, big.length - total));
        assertThat(n).isPositive();
        sha.update(buf, 0, n);
        total += n;
        if (++reads % 64 == 0) {
          Thread.sleep(5); // the slow client's pace, not a wait for a condition
        }
      }
      assertThat(HexFormat.of().formatHex(sha.digest()))
          .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big)));
    }
  }

  @Test
  void aClientLeavingMidAnswerClosesItsUpstreamConnection() throws Exception {
    CountDownLatch rest = new CountDownLatch(1);
    RawBackend backend = new RawBackend((r, out) -> {
      if (r.path().equals("/partial")) {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst part".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        rest.await(10, TimeUnit.SECONDS);
        return false;
      }
      out.write(RawBackend.answer(200, "fine"));
      return true;
    });
    int port = gatewayTo(backend);
    try (Socket s = connect(port)) {
      send(s, "GET /partial HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(Response.readHead(s.getInputStream()).status()).isEqualTo(200);
    } // the client leaves with 90 bytes still to come
    rest.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.closedConnections.get() == 1);
    try (Socket s = connect(port)) {
      send(s, "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(Response.read(s.getInputStream(), false).body()).isEqualTo("fine");
    }
    assertThat(backend.connections.get()).isEqualTo(2); // the half-read connection was not reused
  }

  @Test
  void aClientThatStopsReadingIsCutOffByTheIdleTimeoutAndItsUpstreamConnectionClosed() throws Exception {
    byte[] chunk = new byte[1 << 20];
    RawBackend backend = new RawBackend((r, out) -> {
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 1024; i++) {
        out.write(chunk); // blocks once the gateway stops reading (back-pressure from the client)
      }
      return true;
    });
    int port = gatewayTo(backend, GatewaySettings.listen("127.0.0.1", LoopbackPorts.free(), "127.0.0.1", -1)
        .withEventLoops(1).withLimits(1 << 20, 8192, Duration.ofMillis(800), Duration.ofSeconds(30)));
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(8192);
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
      send(s, "GET /huge HTTP/1.1\r\nHost: x\r\n\r\n");
      // never reads: the gateway's writes stop, nothing moves for the idle timeout, it closes both sides
      await().atMost(Duration.ofSeconds(20)).until(() -> backend.closedConnections.get() == 1);
    }
  }

  /** One answer as read off the socket: status, headers (lowercase names), body (de-chunked). */
  record Response(int status, String head, String body) {
    String header(String name) {
      Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":[ \\t]*([^\\r\\n]*)").matcher(head);
      return m.find() ? m.group(1) : null;
    }

    static Response readHead(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int matched = 0;
      int c;
      while (matched < 4 && (c = in.read()) >= 0) {
        b.write(c);
        matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      String head = b.toString(StandardCharsets.ISO_8859_1);
      assertThat(head).as("a complete head").endsWith("\r\n\r\n");
      return new Response(Integer.parseInt(head.substring(9, 12)), head, "");
    }

    /** Reads head and body: by Content-Length, by chunks, or (neither) until the connection closes. */
    static Response read(InputStream in, boolean noBody) throws IOException {
      Response h = readHead(in);
      if (noBody || h.status() < 200 || h.status() == 204 || h.status() == 304) {
        return h;
      }
      String length = h.header("content-length");
      byte[] body;
      if (length != null) {
        body = in.readNBytes(Integer.parseInt(length));
      } else if ("chunked".equals(h.header("transfer-encoding"))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
          int size = Integer.parseInt(line(in).trim(), 16);
          if (size == 0) {
            line(in); // the empty line after the last chunk (no trailers here)
            break;
          }
          out.write(in.readNBytes(size));
          line(in);
        }
        body = out.toByteArray();
      } else {
        body = in.readAllBytes();
      }
      return new Response(h.status(), h.head(), new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString().toLowerCase(Locale.ROOT);
    }
  }
}
