package io.wharf.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.client.tls.CaCertificates;
import io.wharf.client.tls.TlsContexts;
import io.wharf.server.ControlPlane;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import io.wharf.testkit.auth.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running server renews its own certificate at two thirds of its life and swaps it into the
 * HTTPS listener: a new TLS connection gets the new certificate (another serial, a later
 * notAfter, the same names), while a connection opened before keeps working on the old one.
 */
class ServerCertificateRenewalTest {
  private static final Duration LIFETIME = Duration.ofSeconds(12);

  @TempDir
  Path dir;

  private Store store;
  private ControlPlane server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private void start(TlsOptions tls) {
    store = TestStores.open(dir.resolve("store"));
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded")
        .withBootstrapToken(TestTokens.ADMIN).withTls(tls), store);
  }

  @Test
  void aRenewedCertificateServesNewConnectionsWhileAnOpenConnectionKeepsWorking() throws Exception {
    start(TlsOptions.generated(dir.resolve("data"), List.of("renewed.example")).withServerValidity(LIFETIME));
    X509Certificate ca = CaCertificates.read(dir.resolve("data/tls/ca.crt")).getFirst();

    try (SSLSocket open = connect(ca)) {
      X509Certificate first = peer(open);
      assertThat(Duration.between(first.getNotBefore().toInstant(), first.getNotAfter().toInstant()))
          .as("a short certificate is backdated by a third of its life at most")
          .isLessThanOrEqualTo(LIFETIME.plus(LIFETIME.dividedBy(3)));
      assertThat(get(open, "/v1/health")).startsWith("HTTP/1.1 200");

      AtomicReference<X509Certificate> renewed = new AtomicReference<>();
      await().atMost(LIFETIME.multipliedBy(3)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
        // the connection opened first is used all along: the swap must not drop it
        assertThat(get(open, "/v1/health")).startsWith("HTTP/1.1 200");
        try (SSLSocket fresh = connect(ca)) {
          X509Certificate now = peer(fresh);
          assertThat(now.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
          assertThat(get(fresh, "/v1/health")).startsWith("HTTP/1.1 200");
          renewed.set(now);
        }
      });

      X509Certificate next = renewed.get();
      assertThat(next.getNotAfter()).isAfter(first.getNotAfter());
      next.verify(ca.getPublicKey());
      assertThat(List.copyOf(next.getSubjectAlternativeNames()))
          .isEqualTo(List.copyOf(first.getSubjectAlternativeNames()));
      assertThat(next.getPublicKey()).as("a new key").isNotEqualTo(first.getPublicKey());
      assertThat(peer(open)).as("the open connection keeps its certificate").isEqualTo(first);
      assertThat(get(open, "/v1/health")).startsWith("HTTP/1.1 200");
      // what a restart would load is a renewed certificate too
      X509Certificate onDisk = CaCertificates.read(dir.resolve("data/tls/server.crt")).getFirst();
      assertThat(onDisk.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
      assertThat(Files.readString(dir.resolve("data/tls/server.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }
  }

  @Test
  void aCertificateTheOperatorGaveIsNotRenewedByTheServer() throws Exception {
    Instant now = Instant.now();
    CertificateAuthority given = CertificateAuthority.generate("operator", now);
    Path files = Files.createDirectories(dir.resolve("given"));
    var key = CertificateAuthority.newKeyPair();
    X509Certificate cert = given.issueServer(key.getPublic(), "127.0.0.1", List.of("127.0.0.1"), now,
        Duration.ofSeconds(30));
    Files.writeString(files.resolve("server.crt"), Pem.certificate(cert));
    Files.writeString(files.resolve("server.key"), Pem.privateKey(key.getPrivate()));
    Files.writeString(files.resolve("ca.crt"), Pem.certificate(given.certificate()));
    Files.writeString(files.resolve("ca.key"), Pem.privateKey(given.key()));

    start(new TlsOptions(dir.resolve("data"), files.resolve("server.crt"), files.resolve("server.key"),
        files.resolve("ca.crt"), files.resolve("ca.key"), List.of()));

    ServerTls tls = server.tls().orElseThrow();
    assertThat(tls.renewable()).isFalse();
    assertThatThrownBy(() -> tls.renew(Instant.now())).isInstanceOf(IllegalStateException.class)
        .hasMessage("this server's certificate was given by the operator (--tls-cert) or the CA's key is missing: "
            + "it cannot renew it itself");
    try (SSLSocket socket = connect(given.certificate())) {
      assertThat(peer(socket)).isEqualTo(cert);
    }
  }

  @Test
  void aServerCertificateLifetimeUnderTenSecondsIsRefused() {
    assertThatThrownBy(() -> TlsOptions.generated(dir, List.of()).withServerValidity(Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the server certificate lifetime must be at least 10s, got 5s");
  }

  /** A new TLS connection with a context of its own, so no earlier session is resumed. */
  private SSLSocket connect(X509Certificate ca) throws IOException {
    SSLContext context = TlsContexts.trusting(List.of(ca));
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
        server.apiAddress().getPort());
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  private static X509Certificate peer(SSLSocket socket) throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }

  /** One keep-alive HTTP/1.1 request on {@code socket}; the status line and the body. */
  private static String get(SSLSocket socket, String path) throws IOException {
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    String status = line(in);
    long length = -1;
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring("content-length:".length()).strip());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
        body.write(in.readNBytes(size));
        line(in);
      }
      line(in);
    } else if (length >= 0) {
      body.write(in.readNBytes((int) length));
    }
    return status + "\n" + body.toString(StandardCharsets.UTF_8);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed by the server");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
