package io.wharf.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.client.tls.CaCertificates;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
  @TempDir
  Path dir;

  private Store store;
  private final ObjectMapper json = new ObjectMapper();
  private final Instant now = Instant.parse("2026-12-06T12:00:00Z");

  @BeforeEach
  void open() {
    store = TestStores.open(dir.resolve("store"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ServerTls prepare(Path data, List<String> extra, Instant at) {
    return ServerTls.prepare(TlsOptions.generated(data, extra), store, json,
        ServerTls.subjectAltNames("127.0.0.1", extra), at);
  }

  private static List<String> sans(X509Certificate cert) throws Exception {
    return cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void firstStartWritesTheCaAndAServerCertificateNamingEveryAddressWithPrivateKeys() throws Exception {
    ServerTls tls = prepare(dir.resolve("data"), List.of("wharf.example", "10.1.2.3"), now);

    Path files = dir.resolve("data/tls");
    X509Certificate server = CaCertificates.read(files.resolve("server.crt")).getFirst();
    assertThat(sans(server)).contains("127.0.0.1", "localhost", "wharf.example", "10.1.2.3",
        java.net.InetAddress.getLocalHost().getHostName());
    server.verify(tls.ca().certificate().getPublicKey());
    assertThat(CaCertificates.read(files.resolve("ca.crt"))).containsExactly(tls.ca().certificate());
    assertThat(mode(files)).isEqualTo("rwx------");
    assertThat(mode(files.resolve("server.key"))).isEqualTo("rw-------");
    assertThat(mode(files.resolve("ca.crt"))).isEqualTo("rw-r--r--");
    assertThat(files.resolve("ca.key")).doesNotExist();
    assertThat(Duration.between(now, server.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(365));
    X509Certificate ca = tls.ca().certificate();
    assertThat(Duration.between(now, ca.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(3650));
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(((java.security.interfaces.ECPublicKey) ca.getPublicKey()).getParams().getOrder().bitLength())
        .isEqualTo(256);
  }

  @Test
  void aSecondServerOnTheSameStoreIssuesItsOwnCertificateFromTheSameCa() throws Exception {
    ServerTls first = prepare(dir.resolve("one"), List.of(), now);
    ServerTls second = prepare(dir.resolve("two"), List.of("second.example"), now);

    assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
    assertThat(second.serverCertificate()).isNotEqualTo(first.serverCertificate());
    second.serverCertificate().verify(first.ca().certificate().getPublicKey());
    assertThat(sans(second.serverCertificate())).contains("second.example");
  }

  @Test
  void aRestartKeepsTheCertificateUntilANameIsMissingOrItNearsExpiry() throws Exception {
    X509Certificate original = prepare(dir.resolve("data"), List.of(), now).serverCertificate();

    assertThat(prepare(dir.resolve("data"), List.of(), now.plus(Duration.ofDays(300))).serverCertificate())
        .as("restart with the same names").isEqualTo(original);
    X509Certificate renamed = prepare(dir.resolve("data"), List.of("new.example"), now).serverCertificate();
    assertThat(renamed).as("a new --tls-san").isNotEqualTo(original);
    X509Certificate renewed = prepare(dir.resolve("data"), List.of("new.example"), now.plus(Duration.ofDays(340)))
        .serverCertificate();
    assertThat(renewed).as("less than 30 days left").isNotEqualTo(renamed);
  }

  @Test
  void aGivenCaWithoutItsKeyServesButIssuesNothing() throws Exception {
    CertificateAuthority operatorCa = CertificateAuthority.generate("operator CA", now);
    var key = CertificateAuthority.newKeyPair();
    X509Certificate cert = operatorCa.issueServer(key.getPublic(), "127.0.0.1", List.of("127.0.0.1"), now,
        Duration.ofDays(90));
    Path given = Files.createDirectories(dir.resolve("given"));
    Files.writeString(given.resolve("ca.crt"), Pem.certificate(operatorCa.certificate()));
    Files.writeString(given.resolve("server.crt"), Pem.certificate(cert));
    Files.writeString(given.resolve("server.key"), Pem.privateKey(key.getPrivate()));

    ServerTls tls = ServerTls.prepare(new TlsOptions(dir.resolve("data"), given.resolve("server.crt"),
        given.resolve("server.key"), given.resolve("ca.crt"), null, List.of()), store, json, List.of("127.0.0.1"), now);

    assertThat(tls.serverCertificate()).isEqualTo(cert);
    assertThat(tls.ca().canIssue()).isFalse();
    assertThat(store.get(ClusterCa.KEY)).as("no CA generated").isEmpty();
  }
}
