package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneTest {
  @TempDir Path dir;

  @Test
  void startsOnAFreePortAndClosingLeavesTheStoreToTheCaller() {
    try (Store store = TestStores.open(dir)) {
      ControlPlane server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
      assertThat(server.apiAddress().getHost()).isEqualTo("127.0.0.1");
      assertThat(server.apiAddress().getPort()).isPositive();
      assertThat(server.store()).isSameAs(store);
      ApiClient api = new ApiClient(server.apiAddress());
      assertThat(api.get("/v1/health").status()).isEqualTo(200);

      server.close();
      server.close();
      assertThatThrownBy(() -> api.get("/v1/health")).isInstanceOf(UncheckedIOException.class);
      assertThat(store.revision()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void settingsRejectAnImpossiblePort() {
    assertThatThrownBy(() -> new ControlPlane.Settings("127.0.0.1", 70000, "embedded"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be 0..65535, got 70000");
  }
}
