package io.wharf.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.client.ClientException;
import io.wharf.client.ClientSettings;
import io.wharf.client.JoinApi;
import io.wharf.client.WharfClient;
import io.wharf.client.tls.CaCertificates;
import io.wharf.client.tls.TlsContexts;
import io.wharf.server.ControlPlane;
import io.wharf.server.tls.TlsOptions;
import io.wharf.store.Store;
import io.wharf.store.embedded.EmbeddedStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joining, storing, loading and renewing a node identity against a real HTTPS control plane. */
class NodeIdentityTest {
  @TempDir
  Path dir;

  private Store store;
  private ControlPlane server;
  private X509Certificate ca;

  @BeforeEach
  void start() {
    store = EmbeddedStore.open(dir.resolve("store"));
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN)
        .withTls(TlsOptions.generated(dir.resolve("server"), List.of())), store);
    ca = CaCertificates.read(dir.resolve("server/tls/ca.crt")).getFirst();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private ClientSettings servers() {
    return ClientSettings.of(server.apiAddress());
  }

  private String token() {
    try (WharfClient admin = new WharfClient(servers().withSslContext(TlsContexts.trusting(List.of(ca)))
        .withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
      return new JoinApi(admin).createToken("10m").path("token").asText();
    }
  }

  @Test
  void joiningStoresThePrivateKeyOnlyOnThisNodeWithMode0600() throws Exception {
    NodeIdentity identity = NodeIdentity.join(servers(), token(), null, CaCertificates.fingerprint(ca), "node-5",
        dir.resolve("agent"));

    Path tls = dir.resolve("agent/tls");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("node.key"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls))).isEqualTo("rwx------");
    assertThat(CaCertificates.read(tls.resolve("node.crt"))).containsExactly(identity.certificate());
    assertThat(identity.ca()).isEqualTo(ca);
    assertThat(NodeIdentity.present(dir.resolve("agent"))).isTrue();
    assertThat(NodeIdentity.load(dir.resolve("agent"), "node-5").certificate()).isEqualTo(identity.certificate());
    assertThatThrownBy(() -> NodeIdentity.load(dir.resolve("agent"), "node-6"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the node certificate in " + tls + " is for node \"node-5\", not \"node-6\" (give --name node-5, "
            + "or another --data-dir)");
  }

  @Test
  void aWrongPinRefusesTheServerBeforeTheTokenIsSent() {
    String wrongPin = "sha256:" + "ab".repeat(32);

    assertThatThrownBy(() -> NodeIdentity.join(servers(), "00000000." + "0".repeat(32), null, wrongPin, "node-5",
        dir.resolve("agent")))
        .isInstanceOf(ClientException.class)
        .hasMessage("server certificate not trusted: " + server.apiAddress() + ": no certificate in the server's chain "
            + "has the fingerprint " + wrongPin);
    assertThat(dir.resolve("agent/tls")).doesNotExist();
  }

  @Test
  void theRenewalThreadSwapsInANewCertificateOverMutualTls() {
    NodeIdentity identity = NodeIdentity.join(servers(), token(), null, CaCertificates.fingerprint(ca), "node-5",
        dir.resolve("agent"));
    X509Certificate first = identity.certificate();
    Instant due = CertificateRenewal.due(identity);
    assertThat(Duration.between(identity.notBefore(), due))
        .isEqualTo(Duration.between(identity.notBefore(), identity.notAfter()).multipliedBy(2).dividedBy(3));

    InstantSource pastDue = () -> due.plusSeconds(1);
    try (WharfClient client = new WharfClient(servers().withSslContext(identity.sslContext()));
        CertificateRenewal renewal = new CertificateRenewal(identity, client, pastDue)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !identity.certificate().equals(first));
    }

    assertThat(CaCertificates.read(dir.resolve("agent/tls/node.crt")).getFirst()).isNotEqualTo(first);
    assertThat(identity.certificate().getPublicKey()).isNotEqualTo(first.getPublicKey());
  }
}
