package io.wharf.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ApiException;
import io.wharf.client.ClientException;
import io.wharf.client.ClientSettings;
import io.wharf.client.JoinApi;
import io.wharf.client.WharfClient;
import io.wharf.client.tls.CaCertificates;
import io.wharf.client.tls.TlsContexts;
import io.wharf.server.ControlPlane;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over HTTPS in one process: trust, protocols, joining, renewing over mutual TLS. */
class HttpsApiTest {
  @TempDir
  Path dir;

  private Store store;
  private ControlPlane server;
  private X509Certificate ca;

  @BeforeEach
  void start() {
    store = TestStores.open(dir.resolve("store"));
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN)
        .withTls(TlsOptions.generated(dir.resolve("data"), List.of())), store);
    ca = CaCertificates.read(dir.resolve("data/tls/ca.crt")).getFirst();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private WharfClient client(SSLContext tls) {
    return new WharfClient(ClientSettings.of(server.apiAddress()).withSslContext(tls));
  }

  /** Presents {@code cert} whatever CAs the server asks for (the JDK's own key manager would hold back a foreign one). */
  private static SSLContext withCertificate(X509Certificate ca, KeyPair key, X509Certificate cert) {
    return TlsContexts.trusting(List.of(ca), new javax.net.ssl.X509ExtendedKeyManager() {
      @Override
      public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
        return new String[] {"node"};
      }

      @Override
      public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
        return "node";
      }

      @Override
      public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
          javax.net.ssl.SSLEngine engine) {
        return "node";
      }

      @Override
      public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
        return null;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return new X509Certificate[] {cert};
      }

      @Override
      public java.security.PrivateKey getPrivateKey(String alias) {
        return key.getPrivate();
      }
    });
  }

  @Test
  void theApiIsHttpsWithTheGeneratedCertificate() {
    assertThat(server.apiAddress().getScheme()).isEqualTo("https");
    try (WharfClient client = client(TlsContexts.trusting(List.of(ca)))) {
      assertThat(client.health().path("status").asText()).isEqualTo("ok");
    }
  }

  @Test
  void aClientTrustingAnotherCaRefusesTheServer() {
    X509Certificate other = CertificateAuthority.generate("other", Instant.now()).certificate();
    try (WharfClient client = client(TlsContexts.trusting(List.of(other)))) {
      assertThatThrownBy(client::health).isInstanceOf(ClientException.class)
          .hasMessageStartingWith("server certificate not trusted: " + server.apiAddress() + ": ");
    }
  }

  @Test
  void onlyTls12AndTls13AreServed() throws Exception {
    SSLContext context = TlsContexts.trusting(List.of(ca));
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
        server.apiAddress().getPort())) {
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    try (SSLSocket old = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
        server.apiAddress().getPort())) {
      old.setEnabledProtocols(new String[] {"TLSv1.1"});
      assertThatThrownBy(old::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
    } catch (IllegalArgumentException jdkRefusesTls11) {
      // this JDK has TLS 1.1 switched off entirely: nothing older than 1.2 can be offered
    }
    try (SSLSocket twelve = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
        server.apiAddress().getPort())) {
      twelve.setEnabledProtocols(new String[] {"TLSv1.2"});
      twelve.startHandshake();
      assertThat(twelve.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  void aJoinTokenBuysOneNodeCertificateWhichRenewsItselfOverMutualTls() throws Exception {
    KeyPair key = CertificateAuthority.newKeyPair();
    JsonNode joined;
    String token;
    try (WharfClient anonymous = client(TlsContexts.pinned(CaCertificates.fingerprint(ca)))) {
      JsonNode created;
      try (WharfClient admin = client(TlsContexts.trusting(List.of(ca)))) {
        created = new JoinApi(new WharfClient(admin.settings().withToken(io.wharf.testkit.auth.TestTokens.ADMIN))).createToken("1h");
      }
      token = created.path("token").asText();
      assertThat(created.path("caCertHash").asText()).isEqualTo(CaCertificates.fingerprint(ca));
      joined = new JoinApi(anonymous).join(token, Csrs.of("node-3", key));
      assertThatThrownBy(() -> new JoinApi(anonymous).join(token, Csrs.of("node-4", CertificateAuthority.newKeyPair())))
          .isInstanceOf(ApiException.class).hasMessage("401 unauthenticated: join token already used");
      assertThatThrownBy(() -> new JoinApi(anonymous).join(null, Csrs.of("node-3", CertificateAuthority.newKeyPair())))
          .isInstanceOf(ApiException.class).hasMessage("401 unauthenticated: joining needs a join token (or, to renew, "
              + "the node's current client certificate)");
    }
    X509Certificate cert = CaCertificates.parse(joined.path("certificate").asText()).getFirst();
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=node-3,O=wharf-nodes");
    assertThat(new ClientCertificateAuthenticator(ca, java.time.InstantSource.system())
        .authenticate(new io.wharf.server.auth.Credentials(null, List.of(cert), null)))
        .contains(io.wharf.server.auth.Principal.node("node-3"));

    try (WharfClient node = client(withCertificate(ca, key, cert))) {
      JsonNode renewed = new JoinApi(node).join(null, Csrs.of("node-3", CertificateAuthority.newKeyPair()));
      assertThat(CaCertificates.parse(renewed.path("certificate").asText()).getFirst()).isNotEqualTo(cert);
      assertThatThrownBy(() -> new JoinApi(node).join(null, Csrs.of("node-9", CertificateAuthority.newKeyPair())))
          .isInstanceOf(ApiException.class)
          .hasMessage("403 forbidden: node node-3 cannot renew the certificate of node node-9");
    }
  }

  @Test
  void aConnectionWithACertificateDueForRenewalIsClosedAfterEachAnswer() throws Exception {
    CertificateAuthority clusterCa = new CertificateAuthority(ca, ClusterCa.load(store, new com.fasterxml.jackson.databind.ObjectMapper())
        .orElseThrow().key());
    KeyPair key = CertificateAuthority.newKeyPair();
    X509Certificate due = clusterCa.issueNode(key.getPublic(), "node-3", Instant.now().minus(java.time.Duration.ofDays(21)),
        CertificateAuthority.NODE_VALIDITY);
    X509Certificate fresh = clusterCa.issueNode(key.getPublic(), "node-3", Instant.now(), CertificateAuthority.NODE_VALIDITY);

    assertThat(connectionHeader(withCertificate(ca, key, due))).contains("close");
    assertThat(connectionHeader(withCertificate(ca, key, fresh))).isEmpty();
    assertThat(connectionHeader(TlsContexts.trusting(List.of(ca)))).as("no certificate").isEmpty();
  }

  private java.util.Optional<String> connectionHeader(SSLContext tls) throws Exception {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(tls)
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build()) {
      var response = http.send(java.net.http.HttpRequest.newBuilder(server.apiAddress().resolve("/v1/health")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.headers().firstValue("Connection");
    }
  }

  @Test
  void aClientCertificateOfAnotherCaFailsTheHandshake() throws Exception {
    CertificateAuthority other = CertificateAuthority.generate("other", Instant.now());
    KeyPair key = CertificateAuthority.newKeyPair();
    X509Certificate foreign = other.issueNode(key.getPublic(), "node-3", Instant.now(), CertificateAuthority.NODE_VALIDITY);
    try (WharfClient client = client(withCertificate(ca, key, foreign))) {
      assertThatThrownBy(client::health).isInstanceOf(ClientException.class)
          .hasRootCauseInstanceOf(SSLHandshakeException.class);
    }
  }
}
