package io.wharf.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.fixture.ManualClock;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JoinTokensTest {
  @TempDir
  Path dir;

  private Store store;
  private final ManualClock clock = new ManualClock();
  private JoinTokens tokens;

  @BeforeEach
  void open() {
    store = TestStores.open(dir);
    tokens = new JoinTokens(store, new ObjectMapper(), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aTokenJoinsOnceAndIsListedAsUsedByThatNode() {
    JoinTokens.Created created = tokens.create(Duration.ofHours(1), "user:admin");

    tokens.consume(created.token(), "node-1");

    assertThatThrownBy(() -> tokens.consume(created.token(), "node-2"))
        .isInstanceOf(JoinTokens.Refused.class).hasMessage("join token already used");
    assertThat(tokens.list()).singleElement().satisfies(t -> {
      assertThat(t.id()).isEqualTo(created.id());
      assertThat(t.usedBy()).isEqualTo("node-1");
      assertThat(t.createdBy()).isEqualTo("user:admin");
    });
  }

  @Test
  void onlyTheSecretsHashIsStored() {
    JoinTokens.Created created = tokens.create(Duration.ofHours(1), "user:admin");
    String secret = created.token().substring(created.token().indexOf('.') + 1);

    String stored = new String(store.get(JoinTokens.PREFIX + created.id()).orElseThrow().value(), StandardCharsets.UTF_8);

    assertThat(stored).doesNotContain(secret);
  }

  @Test
  void anExpiredTokenIsRefused() {
    JoinTokens.Created created = tokens.create(Duration.ofMinutes(10), "user:admin");
    clock.advance(Duration.ofMinutes(10));

    assertThatThrownBy(() -> tokens.consume(created.token(), "node-1"))
        .isInstanceOf(JoinTokens.Refused.class).hasMessage("join token expired");
  }

  @Test
  void garbageWrongSecretsAndUnknownIdsAreRefused() {
    JoinTokens.Created created = tokens.create(Duration.ofHours(1), "user:admin");
    String wrongSecret = created.id() + "." + "0".repeat(32);

    assertThatThrownBy(() -> tokens.consume("not-a-token", "node-1")).isInstanceOf(JoinTokens.Refused.class)
        .hasMessage("join token malformed (expected ID.SECRET from wharf node join-token create)");
    assertThatThrownBy(() -> tokens.consume(wrongSecret, "node-1")).isInstanceOf(JoinTokens.Refused.class)
        .hasMessage("join token unknown");
    assertThatThrownBy(() -> tokens.consume("00000000." + "1".repeat(32), "node-1"))
        .isInstanceOf(JoinTokens.Refused.class).hasMessage("join token unknown");
    tokens.consume(created.token(), "node-1"); // the wrong guesses did not spend it
  }

  @Test
  void aRevokedTokenIsUnknown() {
    JoinTokens.Created created = tokens.create(Duration.ofHours(1), "user:admin");

    assertThat(tokens.revoke(created.id())).isTrue();

    assertThatThrownBy(() -> tokens.consume(created.token(), "node-1"))
        .isInstanceOf(JoinTokens.Refused.class).hasMessage("join token unknown");
  }

  @Test
  void spentTokensArePrunedADayLater() {
    JoinTokens.Created used = tokens.create(Duration.ofHours(1), "user:admin");
    tokens.consume(used.token(), "node-1");
    clock.advance(Duration.ofHours(25));

    tokens.create(Duration.ofHours(1), "user:admin");

    assertThat(tokens.list()).extracting(JoinTokens.Listed::id).doesNotContain(used.id()).hasSize(1);
  }

  @Test
  void theTtlIsBounded() {
    assertThatThrownBy(() -> tokens.create(Duration.ofDays(8), "user:admin"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be between 1s and 168h, got PT192H");
  }
}
