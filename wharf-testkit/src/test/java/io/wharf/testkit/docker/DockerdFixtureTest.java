package io.wharf.testkit.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DockerdFixtureTest {
    @Test
    void aPrivateBridgeIsTheDaemonsBridgeNetworkAndGoesWithIt() throws Exception {
        String name;
        try (var dockerd = DockerdFixture.withPrivateBridge()) {
            dockerd.start();
            name = dockerd.bridgeName();
            assertThat(name).matches("wdk[0-9a-f]{6}");
            assertThat(dockerd.bridgeSubnet()).matches("10\\.213\\.\\d{1,3}\\.0/24");
            assertThat(Files.exists(Path.of("/sys/class/net", name))).isTrue();

            UnixHttp.Response bridge = UnixHttp.get(dockerd.socket(), "/v" + dockerd.apiVersion() + "/networks/bridge");
            assertThat(bridge.status()).isEqualTo(200);
            assertThat(bridge.body()).contains("\"Subnet\":\"" + dockerd.bridgeSubnet() + "\"")
                    .contains("\"com.docker.network.bridge.name\":\"" + name + "\"");
        }
        assertThat(Files.exists(Path.of("/sys/class/net", name))).isFalse();
    }

    @Test
    void theDefaultDaemonHasNoBridgeNetwork() throws Exception {
        try (var dockerd = DockerdFixture.started()) {
            assertThat(dockerd.bridgeName()).isNull();
            assertThat(UnixHttp.get(dockerd.socket(), "/v" + dockerd.apiVersion() + "/networks/bridge").status()).isEqualTo(404);
        }
    }
}
