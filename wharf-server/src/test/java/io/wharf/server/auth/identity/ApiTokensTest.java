package io.wharf.server.auth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.Principal;
import io.wharf.server.fixture.ManualClock;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {
  @TempDir Path dir;
  Store store;
  AuthRecords records;
  ManualClock clock = new ManualClock();
  ApiTokens tokens;

  @BeforeEach
  void open() {
    store = TestStores.open(dir);
    records = new AuthRecords(store, ResourceCodec.json());
    tokens = new ApiTokens(records, clock, Duration.ofHours(1));
  }

  @AfterEach
  void close() {
    tokens.close();
    store.close();
  }

  static Credentials bearer(String token) {
    return new Credentials(token, List.of(), "127.0.0.1");
  }

  @Test
  void aTokenIsStoredOnlyAsItsHash() {
    var issued = tokens.create("user:alice", 0, "laptop", null, "user:admin").orElseThrow();
    assertThat(issued.token()).startsWith("wharf_").hasSize(6 + 43);
    String everything = new String(store.range("/wharf/").kvs().stream().map(KeyValue::value)
        .reduce(new byte[0], ApiTokensTest::concat), StandardCharsets.UTF_8);
    assertThat(everything).doesNotContain(issued.token()).contains(ApiTokens.hash(issued.token()));
    assertThat(tokens.authenticate(bearer(issued.token()))).contains(Principal.user("alice"));
  }

  @Test
  void expiredRevokedAndUnknownTokensSayWhy() {
    var expiring = tokens.create("user:alice", 0, null, clock.instant().plus(Duration.ofMinutes(5)), "x").orElseThrow();
    var revoked = tokens.create("user:alice", 0, null, null, "x").orElseThrow();
    assertThat(tokens.revoke(revoked.record().id())).isPresent();
    clock.advance(Duration.ofMinutes(5));
    assertThatThrownBy(() -> tokens.authenticate(bearer(expiring.token()))).isInstanceOf(AuthenticationException.class)
        .hasMessage("token expired");
    assertThatThrownBy(() -> tokens.authenticate(bearer(revoked.token()))).hasMessage("token revoked");
    assertThatThrownBy(() -> tokens.authenticate(bearer(ApiTokens.newSecret()))).hasMessage("bad token");
    assertThat(tokens.authenticate(bearer("eyJhbGciOiJFUzI1NiJ9.e30.sig"))).isEmpty();
  }

  @Test
  void lastUseIsWrittenOncePerFlushNotPerCall() {
    var issued = tokens.create("user:alice", 0, null, null, "x").orElseThrow();
    long before = store.get("/wharf/auth/tokens/" + issued.record().hash()).orElseThrow().modRevision();
    for (int i = 0; i < 50; i++) {
      clock.advance(Duration.ofSeconds(1));
      tokens.authenticate(bearer(issued.token()));
    }
    assertThat(store.get("/wharf/auth/tokens/" + issued.record().hash()).orElseThrow().modRevision()).isEqualTo(before);
    assertThat(tokens.list("user:alice").getFirst().lastUsed()).isEqualTo(clock.instant());
    tokens.flush();
    KeyValue after = store.get("/wharf/auth/tokens/" + issued.record().hash()).orElseThrow();
    assertThat(after.version()).isEqualTo(2);
    assertThat(records.tokenByHash(issued.record().hash()).orElseThrow().value().lastUsed()).isEqualTo(clock.instant());
  }

  @Test
  void bootstrapHappensOnceAndOnlyThatStartLearnsTheToken() {
    var first = Bootstrap.run(records, InstantSource.system(), null);
    var second = Bootstrap.run(records, InstantSource.system(), null);
    assertThat(first).isPresent();
    assertThat(second).isEmpty();
    assertThat(tokens.authenticate(bearer(first.orElseThrow()))).contains(Bootstrap.ADMIN);
    assertThat(records.principal("user:admin").orElseThrow().value().roles()).containsExactly("admin");
  }

  @Test
  void aGivenBootstrapTokenMustLookLikeOne() {
    assertThatThrownBy(() -> Bootstrap.run(records, clock, "short")).hasMessage(
        "a bootstrap token must start with \"wharf_\", be at least 32 characters long and use only letters, digits, '-' and '_'");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
