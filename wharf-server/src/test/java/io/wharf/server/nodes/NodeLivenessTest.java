package io.wharf.server.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.server.ControlPlane;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Nodes;
import io.wharf.server.fixture.ServerFixture;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.LeaseId;
import io.wharf.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node liveness across the lease's life and across a server restart on the same store. */
class NodeLivenessTest {
  @TempDir Path dir;

  static ControlPlane server(Store store) {
    return ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store,
        ServerFixture.tuning().withControllers(true).withNodeTtl(Duration.ofSeconds(1)));
  }

  static String state(ApiClient api, String node) {
    return api.get("/v1/nodes/" + node).json().path("status").path("state").asText();
  }

  @Test
  void aLeaseThatExpiresWhileNoServerRunsMarksTheNodeDownAfterTheRestart() {
    try (Store store = TestStores.open(dir)) {
      try (ControlPlane first = server(store)) {
        ApiClient api = new ApiClient(first.apiAddress());
        Nodes.register(api, Nodes.node("n1", null));
        assertThat(api.post("/v1/nodes/n1/heartbeat", "").json().path("state").asText()).isEqualTo("ready");
      }
      try (ControlPlane second = server(store)) {
        ApiClient api = new ApiClient(second.apiAddress());
        await().until(() -> state(api, "n1").equals("down"));
        assertThat(api.get("/v1/events?involved=Node/n1").json().path("items").findValuesAsText("reason"))
            .containsSubsequence("NodeReady", "NodeDown");
      }
    }
  }

  @Test
  void aHeartbeatToARestartedServerKeepsTheNodeReadyOnANewLease() {
    try (Store store = TestStores.open(dir)) {
      LeaseId before;
      try (ControlPlane first = server(store)) {
        ApiClient api = new ApiClient(first.apiAddress());
        Nodes.register(api, Nodes.node("n1", null));
        api.post("/v1/nodes/n1/heartbeat", "");
        before = store.get(NodeLiveness.leaseKey("n1")).orElseThrow().lease();
      }
      try (ControlPlane second = server(store)) {
        ApiClient api = new ApiClient(second.apiAddress());
        assertThat(api.post("/v1/nodes/n1/heartbeat", "").json().path("state").asText()).isEqualTo("ready");
        assertThat(store.get(NodeLiveness.leaseKey("n1")).orElseThrow().lease()).isNotEqualTo(before);
        assertThat(state(api, "n1")).isEqualTo("ready");
      }
    }
  }
}
