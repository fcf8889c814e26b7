package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.fixture.ServerFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests Jetty itself refuses before any route runs (a broken request line, bad headers, an
 * over-long URI, bad percent-encoding) still get the JSON error shape of docs/api.md with a 4xx.
 * Sent as raw bytes on a socket, since an HTTP client would refuse to send them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  ServerFixture fx;
  URI base;

  @BeforeAll
  void start(@TempDir Path dir) {
    fx = ServerFixture.start(dir);
    base = fx.server.apiAddress();
  }

  @AfterAll
  void stop() {
    fx.close();
  }

  /** A raw HTTP/1.1 exchange: the status line, the headers and the body of the answer. */
  private record Raw(int status, String head, String body) {}

  private Raw send(String request) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          bytes.write(buf, 0, n);
          if (complete(bytes.toString(StandardCharsets.ISO_8859_1))) {
            break;
          }
        }
      } catch (SocketTimeoutException e) {
        // the server kept the connection open; what arrived is the answer
      }
      String text = bytes.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      assertThat(split).as("a whole response head in: %s", text).isPositive();
      String head = text.substring(0, split);
      int status = Integer.parseInt(head.split(" ", 3)[1]);
      return new Raw(status, head, text.substring(split + 4));
    }
  }

  /** Whether {@code text} holds a whole response with a Content-Length body. */
  private static boolean complete(String text) {
    int split = text.indexOf("\r\n\r\n");
    if (split < 0) {
      return false;
    }
    for (String line : text.substring(0, split).split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        return text.length() - split - 4 >= Integer.parseInt(line.substring(15).trim());
      }
    }
    return false;
  }

  static Stream<Arguments> garbage() {
    String host = "Host: 127.0.0.1\r\n";
    return Stream.of(
        // A request line without a version reads as HTTP/0.9, which Jetty answers 505 (the one
        // 5xx here: it names the unsupported version, not a server fault).
        Arguments.of("garbage request line", "HELLO THERE\r\n\r\n", 505),
        Arguments.of("binary noise", "\u0001\u0002\u0003\u00ff\r\n\r\n", 400),
        Arguments.of("no HTTP version", "GET /v1/health\r\n" + host + "\r\n", 505),
        Arguments.of("unknown HTTP version", "GET /v1/health HTTP/7.3\r\n" + host + "\r\n", 505),
        Arguments.of("header without a colon", "GET /v1/health HTTP/1.1\r\n" + host + "NoColonHere\r\n\r\n", 400),
        Arguments.of("header name with a space", "GET /v1/health HTTP/1.1\r\n" + host + "Bad Name: x\r\n\r\n", 400),
        Arguments.of("missing Host on HTTP/1.1", "GET /v1/health HTTP/1.1\r\n\r\n", 400),
        Arguments.of("two Content-Lengths", "POST /v1/plan HTTP/1.1\r\n" + host
            + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400),
        Arguments.of("Content-Length not a number", "POST /v1/plan HTTP/1.1\r\n" + host
            + "Content-Type: application/json\r\nContent-Length: lots\r\n\r\n{}", 400),
        Arguments.of("URI too long", "GET /v1/" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host + "\r\n", 414),
        Arguments.of("headers too large", "GET /v1/health HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(20_000)
            + "\r\n\r\n", 431),
        Arguments.of("bad percent-encoding in the path", "GET /v1/namespaces/%zz/services HTTP/1.1\r\n" + host
            + "\r\n", 400),
        Arguments.of("truncated percent-encoding", "GET /v1/services/%4 HTTP/1.1\r\n" + host + "\r\n", 400),
        Arguments.of("bad percent-encoding in the query", "GET /v1/services?namespace=%zz HTTP/1.1\r\n" + host
            + "\r\n", 400),
        Arguments.of("encoded NUL in the path", "GET /v1/services/a%00b HTTP/1.1\r\n" + host + "\r\n", 400),
        Arguments.of("invalid UTF-8 in the path", "GET /v1/services/%ff%fe HTTP/1.1\r\n" + host + "\r\n", 400));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("garbage")
  void jettyLevelErrorsAreJsonWithAClientStatus(String name, String request, int status) throws IOException {
    Raw r = send(request);

    assertThat(r.status()).as(r.head() + "\n" + r.body()).isEqualTo(status);
    assertThat(r.head().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertThat(error.path("code").asText()).as(r.body()).isEqualTo(switch (status) {
      case 414, 431 -> "too_large";
      default -> "malformed";
    });
    assertThat(error.path("message").asText()).as(r.body()).isNotBlank();
    assertThat(r.body()).doesNotContain("<html", "<HTML", "Exception");
  }
}
