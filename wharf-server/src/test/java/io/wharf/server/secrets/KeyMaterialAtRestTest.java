package io.wharf.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.jwt.SignedTokens;
import io.wharf.server.auth.jwt.SigningKeys;
import io.wharf.server.auth.login.UserCredentials;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.testkit.etcd.EtcdFixture;
import io.wharf.server.tls.CertificateAuthority;
import io.wharf.server.tls.ClusterCa;
import io.wharf.server.tls.Pem;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own key material — the signing keys' private JWKs, users' TOTP secrets and the
 * cluster CA's private key — is sealed in the store with the secrets keyring: the raw bytes never
 * hold it, the owners still read it, plaintext from an earlier version is sealed at start, and
 * {@code POST /v1/secrets/rotate-key} re-seals it with the new key.
 */
class KeyMaterialAtRestTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();

  private static final String TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final ObjectMapper JSON = ResourceCodec.json();
  private static final InstantSource CLOCK = InstantSource.system();

  @TempDir Path dir;
  private Store store;
  private ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    } else if (store != null) {
      store.close();
    }
  }

  private String raw(String key) {
    return new String(store.get(key).orElseThrow().value(), StandardCharsets.UTF_8);
  }

  private JsonNode rawJson(String key) throws Exception {
    return JSON.readTree(store.get(key).orElseThrow().value());
  }

  private static void assertSealed(String raw, String keyId) {
    assertThat(raw).doesNotContain("\"d\"").doesNotContain("PRIVATE KEY").doesNotContain(TOTP)
        .contains("\"keyId\":\"" + keyId + "\"");
  }

  @Test
  void signingKeysTotpSecretsAndTheCaKeyAreSealedAndStillWork() throws Exception {
    store = EmbeddedStore.open(dir.resolve("store"));
    SecretSealer sealer = new SecretSealer(KeySource.generatedIn(dir));
    String active = sealer.keyring().activeId();
    SigningKeys keys = new SigningKeys(store, JSON, CLOCK, Duration.ofHours(12), sealer);
    UserCredentials credentials = new UserCredentials(store, JSON, CLOCK, sealer);

    SignedTokens.Issued issued = new SignedTokens(keys, CLOCK).issue(new Principal(Principal.Kind.USER, "alice"),
        Duration.ofMinutes(5));
    credentials.setPassword("alice", "hash");
    credentials.setTotp("alice", TOTP);
    CertificateAuthority ca = ClusterCa.loadOrCreate(store, JSON, Instant.now(), sealer);

    assertSealed(raw(SigningKeys.PREFIX + issued.kid()), active);
    assertSealed(raw(UserCredentials.CREDENTIALS + "alice"), active);
    assertSealed(raw(ClusterCa.KEY), active);
    assertThat(raw(ClusterCa.KEY)).contains("BEGIN CERTIFICATE"); // the certificate is public

    // A fresh reader (another server, or this one after a restart) opens them in memory.
    SigningKeys other = new SigningKeys(store, JSON, CLOCK, Duration.ofHours(12), sealer);
    SignedJWT jwt = SignedJWT.parse(issued.token());
    assertThat(jwt.verify(new ECDSAVerifier(other.verificationKey(issued.kid()).orElseThrow()))).isTrue();
    assertThat(other.current().jwk().isPrivate()).isTrue();
    assertThat(new UserCredentials(store, JSON, CLOCK, sealer).get("alice").orElseThrow().totpSecret()).isEqualTo(TOTP);
    assertThat(ClusterCa.loadOrCreate(store, JSON, Instant.now(), sealer)).isEqualTo(ca);
  }

  @Test
  void aCiphertextMovedToAnotherUserDoesNotOpen() throws Exception {
    store = EmbeddedStore.open(dir.resolve("store"));
    SecretSealer sealer = new SecretSealer(KeySource.generatedIn(dir));
    UserCredentials credentials = new UserCredentials(store, JSON, CLOCK, sealer);
    credentials.setPassword("alice", "hash");
    credentials.setTotp("alice", TOTP);
    credentials.setPassword("bob", "hash");
    JsonNode bob = rawJson(UserCredentials.CREDENTIALS + "bob");
    ((com.fasterxml.jackson.databind.node.ObjectNode) bob).set("totpSecret",
        rawJson(UserCredentials.CREDENTIALS + "alice").get("totpSecret"));
    store.txn(Txn.of(List.of(), List.of(new Txn.Put(UserCredentials.CREDENTIALS + "bob", JSON.writeValueAsBytes(bob)))));

    assertThatThrownBy(() -> credentials.get("bob"))
        .hasMessage("the TOTP secret in /wharf/auth/credentials/bob cannot be opened: its ciphertext does not "
            + "authenticate under key " + sealer.keyring().activeId() + " (altered, or moved from another secret)");
  }

  @Test
  void aMissingKeyIsNamedNeverTheValue() throws Exception {
    store = EmbeddedStore.open(dir.resolve("store"));
    SecretSealer sealer = new SecretSealer(KeySource.generatedIn(dir));
    new UserCredentials(store, JSON, CLOCK, sealer).setPassword("alice", "hash");
    new UserCredentials(store, JSON, CLOCK, sealer).setTotp("alice", TOTP);
    ClusterCa.loadOrCreate(store, JSON, Instant.now(), sealer);
    SecretKeyring otherRing = SecretKeyring.generate();
    SecretSealer other = new SecretSealer(KeySource.fixed(otherRing));
    String missing = "it was sealed with key " + sealer.keyring().activeId() + ", which is not in the keyring ("
        + otherRing.activeId() + ")";

    assertThatThrownBy(() -> new UserCredentials(store, JSON, CLOCK, other).get("alice"))
        .hasMessage("the TOTP secret in /wharf/auth/credentials/alice cannot be opened: " + missing);
    assertThatThrownBy(() -> ClusterCa.loadOrCreate(store, JSON, Instant.now(), other))
        .hasMessage("the cluster CA key in the store (/wharf/tls/ca) cannot be opened: " + missing);
    assertThatThrownBy(() -> new SealedKeyMaterial(store, JSON, other, List.of(ClusterCa.sealedLocation())).reseal())
        .hasMessage("/wharf/tls/ca cannot be opened: " + missing)
        .hasMessageNotContaining("PRIVATE");
  }

  /** What a version before sealing stored: the JWK, the TOTP secret and the CA key in plaintext. */
  private String storePlaintext() throws Exception {
    ECKey jwk = new ECKeyGenerator(Curve.P_256).keyID("legacy-kid").generate();
    String signingKey = "{\"kid\":\"legacy-kid\",\"createdAt\":\"" + Instant.now() + "\",\"jwk\":" + jwk.toJSONString() + "}";
    CertificateAuthority ca = CertificateAuthority.generate("wharf cluster CA", Instant.now());
    String caValue = JSON.writeValueAsString(JSON.createObjectNode().put("certificate", Pem.certificate(ca.certificate()))
        .put("key", Pem.privateKey(ca.key())));
    store.txn(Txn.of(List.of(), List.of(
        new Txn.Put(SigningKeys.PREFIX + "legacy-kid", signingKey.getBytes(StandardCharsets.UTF_8)),
        new Txn.Put(SigningKeys.CURRENT, "legacy-kid".getBytes(StandardCharsets.UTF_8)),
        new Txn.Put(UserCredentials.CREDENTIALS + "alice",
            ("{\"passwordHash\":\"hash\",\"totpSecret\":\"" + TOTP + "\"}").getBytes(StandardCharsets.UTF_8)),
        new Txn.Put(ClusterCa.KEY, caValue.getBytes(StandardCharsets.UTF_8)))));
    assertThat(raw(SigningKeys.PREFIX + "legacy-kid")).contains("\"d\"");
    assertThat(raw(ClusterCa.KEY)).contains("PRIVATE KEY");
    return jwk.toJSONString();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "etcd"})
  void plaintextFromAnEarlierVersionIsSealedAtStartAndRotationReSealsIt(String backend) throws Exception {
    store = switch (backend) {
      case "embedded" -> EmbeddedStore.open(dir.resolve("store"));
      case "etcd" -> EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot("/t-" + UUID.randomUUID()));
      default -> throw new IllegalArgumentException(backend);
    };
    storePlaintext();
    CertificateAuthority legacyCa = ClusterCa.loadOrCreate(store, JSON, Instant.now(), SecretSealer.inMemory());
    SecretSealer sealer = new SecretSealer(KeySource.generatedIn(dir));
    String oldKey = sealer.keyring().activeId();

    fx = ServerFixture.start(store, ServerFixture.tuning(), sealer);

    List<String> paths = List.of(SigningKeys.PREFIX + "legacy-kid", UserCredentials.CREDENTIALS + "alice", ClusterCa.KEY);
    for (String p : paths) {
      assertSealed(raw(p), oldKey);
    }
    assertThat(new UserCredentials(store, JSON, CLOCK, sealer).get("alice").orElseThrow().totpSecret()).isEqualTo(TOTP);
    assertThat(ClusterCa.loadOrCreate(store, JSON, Instant.now(), sealer)).isEqualTo(legacyCa);
    long caRevision = store.get(ClusterCa.KEY).orElseThrow().modRevision();

    Path keyFile = dir.resolve(KeySource.DEFAULT_FILE);
    byte[] newMaterial = SecretKeyring.randomKey();
    String newKey = new SecretKey(newMaterial).id();
    Files.writeString(keyFile, SecretKeyring.keyLine(newMaterial) + Files.readString(keyFile));
    ApiClient.Response r = fx.client.post("/v1/secrets/rotate-key", "");

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("keyMaterialResealed").asInt()).isEqualTo(3);
    for (String p : paths) {
      assertSealed(raw(p), newKey);
    }
    assertThat(store.get(ClusterCa.KEY).orElseThrow().modRevision()).isGreaterThan(caRevision);
    ApiClient.Response again = fx.client.post("/v1/secrets/rotate-key", "");
    assertThat(again.json().path("keyMaterialResealed").asInt()).isZero();

    // The old key may now leave the file: everything opens with the new one alone.
    Files.writeString(keyFile, SecretKeyring.keyLine(newMaterial));
    SecretSealer newOnly = new SecretSealer(KeySource.file(keyFile));
    assertThat(new UserCredentials(store, JSON, CLOCK, newOnly).get("alice").orElseThrow().totpSecret()).isEqualTo(TOTP);
    assertThat(ClusterCa.loadOrCreate(store, JSON, Instant.now(), newOnly)).isEqualTo(legacyCa);
    SigningKeys keys = new SigningKeys(store, JSON, CLOCK, Duration.ofHours(12), newOnly);
    assertThat(keys.current().kid()).isEqualTo("legacy-kid");
    SignedTokens.Issued issued = new SignedTokens(keys, CLOCK).issue(new Principal(Principal.Kind.USER, "alice"),
        Duration.ofMinutes(5));
    assertThat(SignedJWT.parse(issued.token())
        .verify(new ECDSAVerifier(keys.verificationKey("legacy-kid").orElseThrow()))).isTrue();
  }
}
