package io.wharf.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.SseReader;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import io.wharf.testkit.etcd.EtcdFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secret values are sealed in the store (embedded and etcd: the raw keys and values, and the
 * embedded store's files, never hold them), every answer but the guarded reveal shows them
 * redacted, plans show that they changed but not to what, and errors never quote them.
 */
class SecretsAtRestTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();

  private static final String VALUE = "pw-" + UUID.randomUUID();
  private static final String ENTRY = "tok-" + UUID.randomUUID();
  private static final String NEXT = "pw2-" + UUID.randomUUID();

  @TempDir Path dir;
  private ServerFixture fx;
  private ApiClient api;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private void start(String backend) {
    Store store = switch (backend) {
      case "embedded" -> EmbeddedStore.open(dir.resolve("store"));
      case "etcd" -> EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot("/t-" + UUID.randomUUID()));
      default -> throw new IllegalArgumentException(backend);
    };
    fx = ServerFixture.start(store, ServerFixture.tuning());
    api = fx.client;
  }

  private static String stack(String password) {
    return """
        stack: shop
        namespace: default
        secrets:
          db-password: {value: "%s"}
          api-keys:
            data: {token: "%s"}
        """.formatted(password, ENTRY);
  }

  private ApiClient.Response apply(String yaml) {
    ApiClient.Response r = api.send("/v1/apply", "POST", "application/yaml", yaml);
    assertThat(r.status()).as("apply answered %d", r.status()).isEqualTo(200);
    return r;
  }

  /** Every raw key and value under the store's root. */
  private String rawStore() {
    StringBuilder sb = new StringBuilder();
    for (KeyValue kv : fx.store.range("").kvs()) {
      sb.append(kv.key()).append('=').append(new String(kv.value(), StandardCharsets.ISO_8859_1)).append('\n');
    }
    return sb.toString();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "etcd"})
  void theStoreNeverHoldsAPlaintextValue(String backend) throws IOException {
    start(backend);
    apply(stack(VALUE));
    ApiClient.Response put = api.put("/v1/namespaces/default/secrets/direct",
        "{\"spec\":{\"value\":\"" + NEXT + "\"}}");
    assertThat(put.status()).isEqualTo(201);

    String raw = rawStore();

    assertThat(raw).contains("/wharf/r/secrets/default/db-password", "/wharf/r/secrets/default/direct")
        .doesNotContain(VALUE).doesNotContain(ENTRY).doesNotContain(NEXT);
    assertThat(raw).contains("\"keyId\":\"" + SecretSealer.inMemory().keyring().activeId() + "\"");
    if (backend.equals("embedded")) {
      fx.close();
      fx = null;
      try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          assertThat(bytes).as(f.toString()).doesNotContain(VALUE).doesNotContain(ENTRY).doesNotContain(NEXT);
        }
      }
    }
  }

  @Test
  void everyAnswerButRevealShowsTheKeysWithValuesRedacted() {
    start("embedded");
    List<String> answers = new ArrayList<>();
    try (SseReader watch = new SseReader(api.http(), api.uri("/v1/watch?kinds=secrets"), Map.of())) {
      await().until(() -> watch.comments().contains("watching"));
      answers.add(api.send("/v1/plan", "POST", "application/yaml", stack(VALUE)).text());
      answers.add(apply(stack(VALUE)).text());
      ApiClient.Response created = api.post("/v1/namespaces/default/secrets",
          "{\"metadata\":{\"name\":\"direct\"},\"spec\":{\"value\":\"" + NEXT + "\"}}");
      assertThat(created.status()).isEqualTo(201);
      answers.add(created.text());
      answers.add(api.put("/v1/namespaces/default/secrets/direct", "{\"spec\":{\"value\":\"" + VALUE + "\"}}").text());
      ApiClient.Response one = api.get("/v1/namespaces/default/secrets/api-keys");
      answers.add(one.text());
      answers.add(api.get("/v1/namespaces/default/secrets").text());
      answers.add(api.get("/v1/secrets").text());
      answers.add(api.get("/v1/events?limit=1000").text());
      answers.add(api.delete("/v1/namespaces/default/secrets/direct").text());
      await().until(() -> watch.events().size() >= 5);
      watch.events().forEach(e -> answers.add(e.data()));

      assertThat(one.json().path("spec").path("data").path("token").asText()).isEqualTo("<redacted>");
      assertThat(api.get("/v1/namespaces/default/secrets/db-password").json().path("spec").path("value").asText())
          .isEqualTo("<redacted>");
    }

    assertThat(String.join("\n", answers)).doesNotContain(VALUE).doesNotContain(ENTRY).doesNotContain(NEXT)
        .contains("<redacted>");
  }

  @Test
  void revealAnswersWithTheValuesAndIsNeverCached() {
    start("embedded");
    apply(stack(VALUE));

    ApiClient.Response single = api.get("/v1/namespaces/default/secrets/db-password/value");
    ApiClient.Response data = api.get("/v1/namespaces/default/secrets/api-keys/value");

    assertThat(single.status()).isEqualTo(200);
    assertThat(single.json().path("spec").path("value").asText()).isEqualTo(VALUE);
    assertThat(data.json().path("spec").path("data").path("token").asText()).isEqualTo(ENTRY);
    assertThat(api.get("/v1/namespaces/default/secrets/nope/value").errorMessage())
        .isEqualTo("Secret \"default/nope\" not found");
  }

  @Test
  void applyingTheSameValuesAgainChangesNothing() {
    start("embedded");
    long first = apply(stack(VALUE)).json().path("revision").asLong();

    JsonNode again = apply(stack(VALUE)).json();

    assertThat(again.path("revision").asLong()).isEqualTo(first);
    assertThat(again.path("summary").path("update").asInt()).isZero();
    assertThat(again.path("summary").path("create").asInt()).isZero();
    String direct = "{\"spec\":{\"value\":\"" + VALUE + "\"}}";
    long written = api.put("/v1/namespaces/default/secrets/direct", direct).json().path("metadata").path("revision")
        .asLong();
    assertThat(api.put("/v1/namespaces/default/secrets/direct", direct).json().path("metadata").path("revision")
        .asLong()).isEqualTo(written);
  }

  @Test
  void aChangedValuePlansAsAChangeWithoutShowingEitherValue() {
    start("embedded");
    apply(stack(VALUE));

    JsonNode plan = api.send("/v1/plan", "POST", "application/yaml", stack(NEXT)).json();

    JsonNode change = plan.path("changes").get(0);
    assertThat(change.path("kind").asText()).isEqualTo("Secret");
    assertThat(change.path("name").asText()).isEqualTo("db-password");
    assertThat(change.path("diff").toString())
        .isEqualTo("[{\"path\":\"spec.value\",\"old\":\"<redacted>\",\"new\":\"<redacted>\"}]");
    assertThat(plan.path("summary").path("update").asInt()).isEqualTo(1);
  }

  @Test
  void invalidSecretsAreRefusedWithoutQuotingTheirValues() {
    start("embedded");

    List<ApiClient.Response> refused = List.of(
        api.post("/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"value\":\"" + VALUE
            + "\",\"data\":{\"a\":\"" + ENTRY + "\"}}}"),
        api.post("/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"value\":[\"" + VALUE
            + "\"]}}"),
        api.post("/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"value\":\"" + VALUE),
        api.send("/v1/apply", "POST", "application/yaml", "stack: s\nsecrets:\n  db: {value: \"" + VALUE + "\"\n"),
        api.post("/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"value\":[9876543210123]}}"),
        api.post("/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"data\":{\"pin\":"
            + "{\"nested\":\"" + VALUE + "\"}}}}"),
        api.post("/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"value\":\"" + VALUE
            + "\u0001\"}}"),
        api.send("/v1/apply", "POST", "application/yaml", "stack: s\nsecrets:\n  db: {value: " + VALUE
            + ", bogus: " + ENTRY + "}\n"));

    for (ApiClient.Response r : refused) {
      assertThat(r.status()).as(refused.indexOf(r) + ": " + r.text()).isBetween(400, 422);
      assertThat(r.text()).doesNotContain(VALUE).doesNotContain(ENTRY).doesNotContain("9876543210123");
    }
  }

  @Test
  void writingBackARedactedAnswerIsRefusedAndKeepsTheValue() {
    start("embedded");
    apply(stack(VALUE));
    String answer = api.get("/v1/namespaces/default/secrets/api-keys").text();

    ApiClient.Response r = api.put("/v1/namespaces/default/secrets/api-keys", answer);

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().path("error").path("problems").toString()).isEqualTo("[{\"path\":\"spec.data.token\","
        + "\"reason\":\"is \\\"<redacted>\\\", what answers show instead of the value; send the value itself\"}]");
    assertThat(api.get("/v1/namespaces/default/secrets/api-keys/value").json().path("spec").path("data").path("token")
        .asText()).isEqualTo(ENTRY);
  }

  @Test
  void aCiphertextCopiedToAnotherSecretDoesNotOpen() {
    start("embedded");
    apply(stack(VALUE));
    byte[] sealed = fx.store.get("/wharf/r/secrets/default/db-password").orElseThrow().value();
    String moved = new String(sealed, StandardCharsets.UTF_8).replace("\"db-password\"", "\"copy\"");
    fx.store.txn(Txn.of(List.of(), List.of(new Txn.Put("/wharf/r/secrets/default/copy",
        moved.getBytes(StandardCharsets.UTF_8)))));

    ApiClient.Response r = api.get("/v1/namespaces/default/secrets/copy/value");

    assertThat(r.status()).isEqualTo(500);
    assertThat(r.errorMessage()).isEqualTo("secret \"default/copy\" cannot be read: its ciphertext does not "
        + "authenticate under key " + SecretSealer.inMemory().keyring().activeId()
        + " (altered, or moved from another secret)");
  }
}
