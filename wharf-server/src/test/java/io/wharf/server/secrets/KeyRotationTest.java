package io.wharf.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.store.KeyValue;
import io.wharf.store.Txn;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the key: a key put first in the key file seals new values at once, and
 * {@code POST /v1/secrets/rotate-key} re-seals every stored secret with it, so the old key can
 * leave the file; secrets stored in plaintext by an earlier version are sealed at start.
 */
class KeyRotationTest {
  @TempDir Path dir;
  private ServerFixture fx;
  private ApiClient api;
  private Path keyFile;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private void start() throws IOException {
    fx = ServerFixture.start(EmbeddedStore.open(dir.resolve("store")), ServerFixture.tuning(),
        new SecretSealer(KeySource.generatedIn(dir)));
    keyFile = dir.resolve(KeySource.DEFAULT_FILE);
    api = fx.client;
  }

  private void createSecrets(int n) {
    for (int i = 0; i < n; i++) {
      ApiClient.Response r = api.put("/v1/namespaces/default/secrets/s" + i,
          "{\"spec\":{\"data\":{\"a\":\"value-a-" + i + "\",\"b\":\"value-b-" + i + "\"}}}");
      assertThat(r.status()).as(r.text()).isEqualTo(201);
    }
  }

  /** The key ids in the stored envelopes, one per value. */
  private List<String> storedKeyIds() {
    List<String> ids = new ArrayList<>();
    for (KeyValue kv : fx.store.range("/wharf/r/secrets/").kvs()) {
      JsonNode data = ApiClient.parse(new String(kv.value(), StandardCharsets.UTF_8)).path("spec").path("data");
      data.elements().forEachRemaining(e -> ids.add(e.path("keyId").asText()));
    }
    return ids;
  }

  @Test
  void theKeyFileIsMadeAtFirstStartReadableByItsOwnerOnly() throws IOException {
    start();

    assertThat(Files.getPosixFilePermissions(keyFile))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(SecretKeyring.parse(Files.readAllBytes(keyFile), "f").ids()).hasSize(1);
  }

  @Test
  void rotationReSealsEverySecretWithTheNewKeySoTheOldKeyCanGo() throws IOException {
    start();
    createSecrets(5);
    String oldKey = SecretKeyring.parse(Files.readAllBytes(keyFile), "f").activeId();
    String oldText = Files.readString(keyFile);
    byte[] newMaterial = SecretKeyring.randomKey();
    String newKey = new SecretKey(newMaterial).id();
    Files.writeString(keyFile, SecretKeyring.keyLine(newMaterial) + oldText);
    assertThat(storedKeyIds()).hasSize(10).containsOnly(oldKey);

    ApiClient.Response r = api.post("/v1/secrets/rotate-key", "");

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("activeKey").asText()).isEqualTo(newKey);
    assertThat(r.json().path("resealed").asInt()).isEqualTo(5);
    assertThat(r.json().path("unchanged").asInt()).isZero();
    assertThat(r.json().path("keys").toString()).isEqualTo("[\"" + newKey + "\",\"" + oldKey + "\"]");
    assertThat(storedKeyIds()).hasSize(10).containsOnly(newKey);

    Files.writeString(keyFile, SecretKeyring.keyLine(newMaterial));
    ApiClient.Response again = api.post("/v1/secrets/rotate-key", "");

    assertThat(again.json().path("resealed").asInt()).isZero();
    assertThat(again.json().path("unchanged").asInt()).isEqualTo(5);
    assertThat(again.json().path("keys").toString()).isEqualTo("[\"" + newKey + "\"]");
    for (int i = 0; i < 5; i++) {
      JsonNode data = api.get("/v1/namespaces/default/secrets/s" + i + "/value").json().path("spec").path("data");
      assertThat(data.path("a").asText()).isEqualTo("value-a-" + i);
      assertThat(data.path("b").asText()).isEqualTo("value-b-" + i);
    }
  }

  @Test
  void rotationDoesNotChangeTheSpecSoAppliesStayUnchanged() throws IOException {
    start();
    String stack = "stack: s\nsecrets:\n  db: {value: hunter2}\n";
    long applied = api.send("/v1/apply", "POST", "application/yaml", stack).json().path("revision").asLong();
    Files.writeString(keyFile, SecretKeyring.keyLine(SecretKeyring.randomKey()) + Files.readString(keyFile));

    api.post("/v1/secrets/rotate-key", "");
    JsonNode plan = api.send("/v1/plan", "POST", "application/yaml", stack).json();

    assertThat(plan.path("summary").path("update").asInt()).isZero();
    assertThat(plan.path("revision").asLong()).isGreaterThan(applied);
  }

  @Test
  void aBrokenKeyFileFailsTheRotationAndKeepsTheKeyringInUse() throws IOException {
    start();
    createSecrets(1);
    Files.writeString(keyFile, "not a key\n");

    ApiClient.Response r = api.post("/v1/secrets/rotate-key", "");

    assertThat(r.status()).isEqualTo(500);
    assertThat(r.errorMessage()).isEqualTo("key file " + keyFile + ", line 1: not a key (the base64 of 32 random bytes)");
    assertThat(api.get("/v1/namespaces/default/secrets/s0/value").json().path("spec").path("data").path("a").asText())
        .isEqualTo("value-a-0");
  }

  @Test
  void secretsStoredInPlaintextByAnEarlierVersionAreSealedAtStart() throws IOException {
    Path storeDir = dir.resolve("store");
    try (EmbeddedStore old = EmbeddedStore.open(storeDir)) {
      old.txn(Txn.of(List.of(), List.of(new Txn.Put("/wharf/r/secrets/default/legacy",
          "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"legacy\",\"namespace\":\"default\"},\"spec\":{\"value\":\"plain-old\"},\"status\":{}}"
              .getBytes(StandardCharsets.UTF_8)))));
    }

    start();

    String raw = new String(fx.store.get("/wharf/r/secrets/default/legacy").orElseThrow().value(), StandardCharsets.UTF_8);
    assertThat(raw).doesNotContain("plain-old").contains("\"keyId\"");
    assertThat(api.get("/v1/namespaces/default/secrets/legacy/value").json().path("spec").path("value").asText())
        .isEqualTo("plain-old");
  }
}
