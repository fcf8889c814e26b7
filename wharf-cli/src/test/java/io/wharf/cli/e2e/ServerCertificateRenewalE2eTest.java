package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.tls.CaCertificates;
import io.wharf.client.tls.TlsContexts;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf server --tls-server-cert-lifetime 12s} as its own process: the running server
 * renews its certificate (two thirds into its life) and new TLS connections get the new one,
 * while the CLI, which trusts the CA, keeps working throughout.
 */
class ServerCertificateRenewalE2eTest {
  @TempDir
  Path dir;

  @Test
  void aRunningServerServesItsRenewedCertificateToNewConnections() throws Exception {
    try (DevServerProcess server = DevServerProcess.command("server", "--port", "0", "--data-dir",
        dir.resolve("data").toString(), "--tls-server-cert-lifetime", "12s")) {
      X509Certificate ca = CaCertificates.read(dir.resolve("data/tls/ca.crt")).getFirst();
      URI address = URI.create(server.address());
      X509Certificate first = served(ca, address);

      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
          .until(() -> !served(ca, address).getSerialNumber().equals(first.getSerialNumber()));

      X509Certificate renewed = served(ca, address);
      assertThat(renewed.getNotAfter()).isAfter(first.getNotAfter());
      BigInteger onDisk = CaCertificates.read(dir.resolve("data/tls/server.crt")).getFirst().getSerialNumber();
      assertThat(onDisk).isNotEqualTo(first.getSerialNumber());
      CliProcess.Result health = new CliProcess(server.address(), dir)
          .run("--ca-cert", dir.resolve("data/tls/ca.crt").toString(), "version");
      assertThat(health.exitCode()).as(health.toString()).isZero();
    }
  }

  /** The certificate a new TLS connection is served (a context of its own: no session resumed). */
  private static X509Certificate served(X509Certificate ca, URI address) throws IOException {
    try (SSLSocket socket = (SSLSocket) TlsContexts.trusting(List.of(ca)).getSocketFactory()
        .createSocket(address.getHost(), address.getPort())) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }
}
