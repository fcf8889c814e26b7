package io.wharf.server.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.store.Store;
import io.wharf.store.StoreLimits;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.store.embedded.EmbeddedStoreOptions;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import io.wharf.testkit.etcd.EtcdFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How big an apply may be: as big as the store's {@link StoreLimits} say, one transaction and one
 * event per changed object whenever that fits.
 */
class ApplySizeTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();
  private static final AtomicInteger roots = new AtomicInteger();

  @TempDir Path dir;
  private ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private ApiClient start(Store store) {
    fx = ServerFixture.start(store, ServerFixture.tuning());
    return fx.client;
  }

  /** A stack of {@code count} one-replica services svc-000, svc-001, ... */
  private static String numbered(int count) {
    StringBuilder sb = new StringBuilder("stack: shop\nnamespace: default\nservices:\n");
    for (int i = 0; i < count; i++) {
      sb.append(String.format("  svc-%03d:%n    command: [\"/bin/sleep\", \"1000\"]%n    replicas: 1%n", i));
    }
    return sb.toString();
  }

  private static ApiClient.Response apply(ApiClient api, String yaml) {
    return api.send("/v1/apply", "POST", "application/yaml", yaml);
  }

  /** Every event as "Type Kind/name", in order. */
  private static List<String> events(ApiClient api) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : api.get("/v1/events?limit=1000").json().path("items")) {
      JsonNode spec = e.path("spec");
      out.add(spec.path("type").asText() + " " + spec.path("involved").path("kind").asText() + "/"
          + spec.path("involved").path("name").asText());
    }
    return out;
  }

  private static void assertAppliedInOneTransactionWithAnEventEach(ApiClient api, int services) {
    var r = apply(api, numbered(services));

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    long revision = r.json().path("revision").asLong();
    JsonNode items = api.get("/v1/namespaces/default/services?limit=1000").json().path("items");
    assertThat(items).hasSize(services);
    items.forEach(i -> assertThat(i.path("metadata").path("revision").asLong()).isEqualTo(revision));
    List<String> events = events(api);
    assertThat(events).hasSize(services + 1).contains("Created Stack/shop", "Created Service/svc-000",
        "Created Service/svc-" + (services - 1));
    assertThat(events.stream().filter(e -> e.startsWith("Created Service/"))).hasSize(services);
  }

  @Test
  void aThreeHundredServiceStackAppliesInOneTransactionOnTheEmbeddedStore() {
    ApiClient api = start(EmbeddedStore.open(dir));

    assertAppliedInOneTransactionWithAnEventEach(api, 300);
  }

  @Test
  void aThreeHundredServiceStackAppliesInOneTransactionOnEtcdWithRaisedLimits() {
    // The fixture runs etcd with --max-txn-ops 10000 and --max-request-bytes 16 MiB, as
    // docs/operations.md tells operators to; the store is told so through its options.
    EtcdStoreOptions options = EtcdStoreOptions.of(etcd.endpoint())
        .withRoot("/apply" + roots.incrementAndGet() + "/")
        .withRequestTimeout(Duration.ofSeconds(30))
        .withLimits(new StoreLimits(EtcdFixture.MAX_TXN_OPS, EtcdFixture.MAX_REQUEST_BYTES * 2L / 3));
    ApiClient api = start(EtcdStore.connect(options));

    assertAppliedInOneTransactionWithAnEventEach(api, 300);
  }

  private ApiClient startWithEtcdDefaultLimits() {
    return start(EmbeddedStore.open(dir, EmbeddedStoreOptions.defaults()
        .withTxnLimits(StoreLimits.ETCD_DEFAULTS.maxTxnOps(), StoreLimits.ETCD_DEFAULTS.maxTxnBytes())));
  }

  @Test
  void anApplyTooBigForEventsPerChangeRecordsOneSummaryEvent() {
    ApiClient api = startWithEtcdDefaultLimits();

    var r = apply(api, numbered(70));

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(api.get("/v1/namespaces/default/services").json().path("items")).hasSize(70);
    var events = api.get("/v1/events").json().path("items");
    assertThat(events.size()).isEqualTo(1);
    assertThat(events.get(0).path("spec").path("involved").path("kind").asText()).isEqualTo("Stack");
    assertThat(events.get(0).path("spec").path("message").asText()).isEqualTo("stack shop: 71 created, 0 updated, 0 deleted");
  }

  @Test
  void anApplyTooBigForOneTransactionOfTheStoreIsRefusedWithNothingWritten() {
    ApiClient api = startWithEtcdDefaultLimits();
    long revision = fx.store.revision();
    long audited = io.wharf.server.audit.AuditLog.read(fx.store).last();

    var r = apply(api, numbered(130));

    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.json().path("error").path("problems").get(0).path("reason").asText())
        .isEqualTo("applying it changes 131 objects; one apply can change at most 124 (one store transaction); apply it in parts");
    assertThat(fx.store.revision()).as("only the refusal's audit entry").isEqualTo(revision + 1);
    assertThat(io.wharf.server.audit.AuditLog.read(fx.store).last()).isEqualTo(audited + 1);
  }

  @Test
  void aChangeOverTheStoresByteLimitIsRefusedWith413() {
    ApiClient api = start(EmbeddedStore.open(dir, EmbeddedStoreOptions.defaults().withTxnLimits(10_000, 20_000)));
    long revision = fx.store.revision();

    var r = apply(api, numbered(100));

    assertThat(r.status()).as(r.text()).isEqualTo(413);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("too_large");
    assertThat(r.json().path("error").path("message").asText())
        .matches("the change is \\d+ bytes; one store transaction holds at most 20000 bytes");
    assertThat(fx.store.revision()).as("only the refusal's audit entry").isEqualTo(revision + 1);
  }
}
