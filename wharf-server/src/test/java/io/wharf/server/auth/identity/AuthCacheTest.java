package io.wharf.server.auth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.ForbiddenException;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.policy.Grants;
import io.wharf.server.auth.policy.Permission;
import io.wharf.server.auth.policy.Rule;
import io.wharf.server.auth.policy.Verb;
import io.wharf.server.fixture.ObservedStore;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Txn;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch-fed view authentication reads ({@link AuthCache}) on the real embedded store: a warm
 * call reads nothing from the store; a change this server commits holds before the call that made
 * it returns, a change of another server (here: written straight to the store, beside this
 * server's records) once the watch delivers it; while the view is not synced every read goes to
 * the store. "Another server" is a second {@link AuthRecords} on the same store without a cache.
 */
class AuthCacheTest {
  private static final List<Permission> LIST_SERVICES = List.of(new Permission(Verb.LIST, "Service", "default"));

  @TempDir Path dir;
  private ObservedStore store;
  private AuthCache cache;
  private AuthRecords records;
  private AuthRecords otherServer;
  private ApiTokens tokens;
  private Authorizer authorizer;

  @BeforeEach
  void open() {
    store = new ObservedStore(TestStores.open(dir), AuthRecords.ROOT);
    cache = new AuthCache(store, ResourceCodec.json());
    records = new AuthRecords(store, ResourceCodec.json(), cache);
    otherServer = new AuthRecords(store, ResourceCodec.json());
    tokens = new ApiTokens(records, Instant::now, Duration.ofHours(1));
    authorizer = new Authorizer(records);
  }

  @AfterEach
  void close() {
    tokens.close();
    cache.close();
    store.close();
  }

  private static Credentials bearer(String token) {
    return new Credentials(token, List.of(), "127.0.0.1");
  }

  /** user:alice holding custom role "reader" (list Service in default), and a token of hers. */
  private ApiTokens.Issued alice() {
    assertThat(records.createRole(new RoleRecord("reader", List.of(Rule.of("default", List.of("Service"), List.of("list"))),
        Instant.now(), "test"))).isTrue();
    assertThat(records.createPrincipal(new PrincipalRecord("user:alice", List.of("reader"), List.of(), Instant.now(),
        "test"))).isTrue();
    return tokens.create("user:alice", 0, null, null, "test").orElseThrow();
  }

  private void authorise(String token) {
    Principal p = tokens.authenticate(bearer(token)).orElseThrow();
    authorizer.require(p, LIST_SERVICES);
  }

  @Test
  void aWarmAuthenticatedCallReadsNothingFromTheStore() {
    var issued = alice();
    cache.start();
    assertThat(cache.synced()).isTrue();
    long before = store.reads();

    for (int i = 0; i < 100; i++) {
      authorise(issued.token());
    }

    assertThat(store.reads() - before).isZero();
  }

  @Test
  void aRevokeHoldsHereBeforeItReturnsAndElsewhereWhenTheWatchDeliversIt() throws Exception {
    cache.start();
    var mine = alice();
    var theirs = tokens.create("user:alice", 0, null, null, "test").orElseThrow();
    authorise(mine.token());
    authorise(theirs.token());
    store.holdWatches(); // this server's watch falls behind

    tokens.revoke(mine.record().id()).orElseThrow();
    assertThatThrownBy(() -> tokens.authenticate(bearer(mine.token()))).hasMessage("token revoked");

    var stored = otherServer.tokenByHash(theirs.record().hash()).orElseThrow();
    assertThat(otherServer.replaceToken(stored.value().revokedAt(Instant.now()), stored.modRevision())).isTrue();
    long revoked = store.revision();
    authorise(theirs.token()); // the window: this server has not heard of the other's revoke yet

    store.releaseWatches();
    assertThat(cache.awaitRevision(revoked, Duration.ofSeconds(10))).isTrue();
    assertThatThrownBy(() -> tokens.authenticate(bearer(theirs.token()))).hasMessage("token revoked");
  }

  @Test
  void anExpiredTokenIsRefusedFromTheCache() {
    cache.start();
    alice();
    var expiring = tokens.create("user:alice", 0, null, Instant.now().minusSeconds(1), "test").orElseThrow();
    long before = store.reads();

    assertThatThrownBy(() -> tokens.authenticate(bearer(expiring.token()))).hasMessage("token expired");
    assertThat(store.reads() - before).isZero();
  }

  @Test
  void aGrantRemovedOrARoleNarrowedTakesEffectAtOnce() {
    cache.start();
    var issued = alice();
    authorise(issued.token());

    var role = records.role("reader").orElseThrow();
    assertThat(records.replaceRole(new RoleRecord("reader", List.of(Rule.of("default", List.of("Service"),
        List.of("get"))), Instant.now(), "test"), role.modRevision())).isTrue();
    assertThatThrownBy(() -> authorise(issued.token())).isInstanceOf(ForbiddenException.class)
        .hasMessage("user:alice may not list Service in namespace default");

    var alice = records.principal("user:alice").orElseThrow();
    assertThat(records.replacePrincipal(alice.value().withGrants(new Grants(List.of(),
        List.of(Rule.of("default", List.of("Service"), List.of("list"))))), alice.modRevision())).isTrue();
    authorise(issued.token());
    alice = records.principal("user:alice").orElseThrow();
    assertThat(records.replacePrincipal(alice.value().withGrants(Grants.NONE), alice.modRevision())).isTrue();
    assertThatThrownBy(() -> authorise(issued.token())).hasMessage("user:alice may not list Service in namespace default");
  }

  @Test
  void aGrantRemovedOnAnotherServerHoldsOnceTheWatchHasIt() throws Exception {
    cache.start();
    var issued = alice();
    authorise(issued.token());

    var alice = otherServer.principal("user:alice").orElseThrow();
    assertThat(otherServer.replacePrincipal(alice.value().withGrants(Grants.NONE), alice.modRevision())).isTrue();

    assertThat(cache.awaitRevision(store.revision(), Duration.ofSeconds(10))).isTrue();
    assertThatThrownBy(() -> authorise(issued.token())).hasMessage("user:alice may not list Service in namespace default");
  }

  @Test
  void aDeletedPrincipalsTokensStayDeletedWhenALateWatchEventArrives() throws Exception {
    cache.start();
    var issued = alice();
    store.holdWatches();
    // another server touches the token (its last use), then this server deletes alice with her tokens
    var stored = otherServer.tokenByHash(issued.record().hash()).orElseThrow();
    assertThat(otherServer.replaceToken(stored.value().usedAt(Instant.now()), stored.modRevision())).isTrue();
    var alice = records.principal("user:alice").orElseThrow();
    assertThat(records.deletePrincipal("user:alice", alice.modRevision())).isTrue();
    assertThatThrownBy(() -> tokens.authenticate(bearer(issued.token()))).hasMessage("bad token");

    store.releaseWatches(); // the other server's older put arrives after the delete
    assertThat(cache.awaitRevision(store.revision(), Duration.ofSeconds(10))).isTrue();
    assertThatThrownBy(() -> tokens.authenticate(bearer(issued.token()))).hasMessage("bad token");
    assertThat(authorizer.policyOf(Principal.user("alice")).allows(LIST_SERVICES.getFirst())).isFalse();
  }

  @Test
  void aTokenMadeOnAnotherServerWorksAtOnceThroughTheStore() {
    cache.start();
    alice();
    store.holdWatches(); // whatever the watch says, it says it late
    var principal = otherServer.principal("user:alice").orElseThrow();
    var made = ApiTokens.newSecret();
    assertThat(otherServer.createToken(ApiTokens.recordOf(made, "user:alice", null, Instant.now(), "test", null),
        "user:alice", principal.modRevision())).isTrue();

    long before = store.reads();
    assertThat(tokens.authenticate(bearer(made))).contains(Principal.user("alice"));
    assertThat(store.reads() - before).isEqualTo(1);
    store.releaseWatches();
  }

  @Test
  void beforeTheFirstListEveryReadGoesToTheStore() {
    var issued = alice(); // cache not started: not synced
    assertThat(cache.synced()).isFalse();
    var stored = otherServer.tokenByHash(issued.record().hash()).orElseThrow();
    assertThat(otherServer.replaceToken(stored.value().revokedAt(Instant.now()), stored.modRevision())).isTrue();
    long before = store.reads();

    assertThatThrownBy(() -> tokens.authenticate(bearer(issued.token()))).hasMessage("token revoked");
    assertThat(store.reads() - before).isEqualTo(1);
  }

  @Test
  void afterALostWatchTheStoreIsReadUntilTheRelistIsDone() {
    cache.start();
    var issued = alice();
    authorise(issued.token());
    store.failRanges(AuthRecords.ROOT); // the relist cannot read the store yet

    store.breakWatches();
    assertThat(cache.synced()).isFalse();
    // revoked meanwhile by another server; no watch carries it to this one
    var stored = otherServer.tokenByHash(issued.record().hash()).orElseThrow();
    assertThat(otherServer.replaceToken(stored.value().revokedAt(Instant.now()), stored.modRevision())).isTrue();
    long before = store.reads();
    assertThatThrownBy(() -> tokens.authenticate(bearer(issued.token()))).hasMessage("token revoked");
    assertThat(store.reads() - before).isEqualTo(1);

    store.failRanges(null);
    await().atMost(Duration.ofSeconds(20)).until(cache::synced);
    before = store.reads();
    assertThatThrownBy(() -> tokens.authenticate(bearer(issued.token()))).hasMessage("token revoked");
    assertThat(store.reads() - before).isZero();
  }

  @Test
  void aRelistDropsRecordsDeletedWhileTheWatchWasLost() {
    cache.start();
    var issued = alice();
    store.failRanges(AuthRecords.ROOT);
    store.breakWatches();
    // another server deletes alice and her token (one transaction, as AuthRecords does)
    assertThat(store.txn(Txn.of(List.of(), List.of(new Txn.Delete(AuthRecords.PRINCIPALS + "user:alice"),
        new Txn.Delete(AuthRecords.TOKENS + issued.record().hash())))).succeeded()).isTrue();

    store.failRanges(null);
    await().atMost(Duration.ofSeconds(20)).until(cache::synced);
    assertThat(cache.principal("user:alice")).isEmpty();
    assertThat(cache.token(issued.record().hash())).isEmpty();
    assertThatThrownBy(() -> tokens.authenticate(bearer(issued.token()))).hasMessage("bad token");
  }
}
