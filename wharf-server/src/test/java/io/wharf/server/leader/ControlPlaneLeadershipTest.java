package io.wharf.server.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control planes sharing one store as several servers do (store kind "etcd", so neither is
 * the sole server): one leads, both say who, and the other takes over when the leader stops.
 */
class ControlPlaneLeadershipTest {

  @TempDir
  Path dir;

  @Test
  void oneOfTwoServersLeadsBothReportItAndTheOtherTakesOverWithEvents() {
    ControlPlane.Tuning tuning = ControlPlane.Tuning.DEFAULTS.withLeaderTtl(Duration.ofSeconds(2));
    try (Store store = TestStores.open(dir)) {
      ControlPlane first = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "etcd").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store, tuning);
      try (ControlPlane second = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "etcd").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store, tuning);
          WharfClient toFirst = new WharfClient(ClientSettings.of(first.apiAddress()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
          WharfClient toSecond = new WharfClient(ClientSettings.of(second.apiAddress()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
        assertThat(first.election().isLeader()).isTrue();
        assertThat(second.election().isLeader()).isFalse();
        JsonNode fromSecond = toSecond.leader();
        assertThat(fromSecond.path("leader").path("address").asText()).isEqualTo(first.apiAddress().toString());
        assertThat(fromSecond.path("server").path("leader").asBoolean()).isFalse();
        assertThat(toFirst.leader().path("server").path("leader").asBoolean()).isTrue();

        first.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> second.election().isLeader());
        assertThat(toSecond.leader().path("leader").path("address").asText()).isEqualTo(second.apiAddress().toString());
        String firstId = first.apiAddress().getAuthority();
        String secondId = second.apiAddress().getAuthority();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reasons(toSecond))
            .containsSubsequence("LeaderElected " + firstId, "LeaderElected " + secondId)
            .contains("LeaderLost " + firstId));
      } finally {
        first.close();
      }
    }
  }

  private static List<String> reasons(WharfClient client) {
    return client.listAll("events", ListOptions.ALL).stream()
        .map(e -> e.path("spec").path("reason").asText() + " " + e.path("spec").path("involved").path("name").asText())
        .toList();
  }
}
