package io.wharf.server.auth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.server.ControlPlane;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.ObservedStore;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import io.wharf.testkit.auth.TestTokens;
import io.wharf.testkit.etcd.EtcdFixture;
import io.wharf.testkit.net.LoopbackProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth cache in whole servers, over HTTP: a warm authenticated call reads no token, principal
 * or role from the store (embedded, and etcd); and with two servers on one real etcd, a revoke or
 * a removed grant made through one holds there before its call returns and on the other once the
 * other's watch has the change's revision.
 */
class AuthCacheServersTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();

  private static final String SERVICES = "/v1/namespaces/default/services";
  private static final String[] AUTH_RECORDS = {AuthRecords.TOKENS, AuthRecords.PRINCIPALS, AuthRecords.ROLES};

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private ControlPlane server(Store store, String kind) {
    open.add(store);
    ControlPlane cp = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, kind)
        .withBootstrapToken(TestTokens.ADMIN), store, ServerFixture.tuning());
    open.add(cp);
    return cp;
  }

  private Store etcdStore(String root) {
    return EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot(root));
  }

  /** Role "reader" (list Service in default), user:{@code name} holding it, and a token of theirs. */
  private static String reader(ApiClient admin, String name) {
    var role = admin.post("/v1/auth/roles",
        "{\"name\":\"reader\",\"rules\":[{\"namespace\":\"default\",\"kinds\":[\"Service\"],\"verbs\":[\"list\"]}]}");
    assertThat(role.status()).as(role.toString()).isIn(201, 409);
    var user = admin.post("/v1/auth/principals", "{\"id\":\"user:" + name + "\",\"roles\":[\"reader\"]}");
    assertThat(user.status()).as(user.toString()).isEqualTo(201);
    var token = admin.post("/v1/auth/tokens", "{\"principal\":\"user:" + name + "\"}");
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    return token.json().path("token").asText();
  }

  private static long readsOverCalls(ObservedStore store, ApiClient client, int calls) {
    long before = store.reads();
    for (int i = 0; i < calls; i++) {
      var r = client.get(SERVICES);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
    return store.reads() - before;
  }

  @Test
  void aWarmCallReadsNoTokenPrincipalOrRoleFromTheEmbeddedStore() {
    ObservedStore store = new ObservedStore(TestStores.open(dir), AUTH_RECORDS).ignoringThread("wharf-token-last-used");
    ControlPlane server = server(store, "embedded");
    ApiClient admin = new ApiClient(server.apiAddress());
    ApiClient bob = admin.withToken(reader(admin, "bob"));
    await().atMost(Duration.ofSeconds(10)).until(server.authCache()::synced);

    assertThat(readsOverCalls(store, bob, 50)).isZero();
    assertThat(readsOverCalls(store, admin, 50)).isZero();
  }

  @Test
  void aRevokeOrARemovedGrantHoldsOnTheOtherServerOnceItsWatchHasIt() throws Exception {
    String root = "/t-" + UUID.randomUUID();
    ControlPlane a = server(etcdStore(root), "etcd");
    ObservedStore storeB = new ObservedStore(etcdStore(root), AUTH_RECORDS).ignoringThread("wharf-token-last-used");
    ControlPlane b = server(storeB, "etcd");
    ApiClient adminA = new ApiClient(a.apiAddress());
    String bobToken = reader(adminA, "bob");
    String carolToken = reader(adminA, "carol");
    ApiClient bobA = adminA.withToken(bobToken);
    ApiClient bobB = new ApiClient(b.apiAddress(), bobToken);
    ApiClient carolA = adminA.withToken(carolToken);
    ApiClient carolB = new ApiClient(b.apiAddress(), carolToken);
    await().atMost(Duration.ofSeconds(10)).until(() -> bobB.get(SERVICES).status() == 200
        && carolB.get(SERVICES).status() == 200);
    assertThat(readsOverCalls(storeB, bobB, 20)).as("warm calls on etcd").isZero();

    var revoked = adminA.delete("/v1/auth/tokens/" + ApiTokens.hash(bobToken).substring(0, 12));
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    var onA = bobA.get(SERVICES);
    assertThat(onA.status()).isEqualTo(401);
    assertThat(onA.errorMessage()).isEqualTo("token revoked");
    long revision = storeB.get(AuthRecords.TOKENS + ApiTokens.hash(bobToken)).orElseThrow().modRevision();
    assertThat(b.authCache().awaitRevision(revision, Duration.ofSeconds(10))).isTrue();
    var onB = bobB.get(SERVICES);
    assertThat(onB.status()).isEqualTo(401);
    assertThat(onB.errorMessage()).isEqualTo("token revoked");

    var narrowed = adminA.put("/v1/auth/grants/user:carol", "{\"roles\":[],\"rules\":[]}");
    assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
    assertThat(carolA.get(SERVICES).errorMessage()).isEqualTo("user:carol may not list Service in namespace default");
    revision = storeB.get(AuthRecords.PRINCIPALS + "user:carol").orElseThrow().modRevision();
    assertThat(b.authCache().awaitRevision(revision, Duration.ofSeconds(10))).isTrue();
    var carolOnB = carolB.get(SERVICES);
    assertThat(carolOnB.status()).isEqualTo(403);
    assertThat(carolOnB.errorMessage()).isEqualTo("user:carol may not list Service in namespace default");
  }

  @Test
  void aServerCutOffFromEtcdAcrossACompactionRelistsAndRefusesWhatWasRevokedMeanwhile() throws Exception {
    String root = "/t-" + UUID.randomUUID();
    Store storeA = etcdStore(root);
    ControlPlane a = server(storeA, "etcd");
    LoopbackProxy proxy = new LoopbackProxy(etcd.clientPort());
    open.add(proxy);
    ControlPlane b = server(EtcdStore.connect(EtcdStoreOptions.of(proxy.httpEndpoint()).withRoot(root)
        .withWatchReconnectWindow(Duration.ofSeconds(60))), "etcd");
    ApiClient adminA = new ApiClient(a.apiAddress());
    String bobToken = reader(adminA, "bob");
    ApiClient bobB = new ApiClient(b.apiAddress(), bobToken);
    await().atMost(Duration.ofSeconds(10)).until(() -> bobB.get(SERVICES).status() == 200);

    long lists = b.authCache().lists();
    proxy.cut(); // B hears nothing from etcd: its watch cannot deliver, and history goes meanwhile
    var revoked = adminA.delete("/v1/auth/tokens/" + ApiTokens.hash(bobToken).substring(0, 12));
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    storeA.txn(io.wharf.store.Txn.of(List.of(), List.of(new io.wharf.store.Txn.Put("/wharf/auth/test-filler", new byte[1]))));
    storeA.compact(storeA.revision());
    proxy.restore();

    // B's watch resumes into the compacted history, is told to relist, and relists
    await().atMost(Duration.ofSeconds(60)).until(() -> b.authCache().lists() > lists && b.authCache().synced());
    var onB = bobB.get(SERVICES);
    assertThat(onB.status()).isEqualTo(401);
    assertThat(onB.errorMessage()).isEqualTo("token revoked");
  }
}
