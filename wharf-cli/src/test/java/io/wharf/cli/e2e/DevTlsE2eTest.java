package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf dev --tls}: HTTPS with a generated CA, and the in-process agent on mutual TLS. */
class DevTlsE2eTest {
  @TempDir
  Path dir;

  @Test
  void devWithTlsServesHttpsAndItsOwnAgentRegistersOverMutualTls() throws Exception {
    try (DevServerProcess dev = DevServerProcess.command("dev", "--tls", "--port", "0", "--data-dir",
        dir.resolve("data").toString(), "--dns", "off", "--gateway", "off")) {
      assertThat(dev.address()).startsWith("https://127.0.0.1:");
      String ca = dir.resolve("data/tls/ca.crt").toString();
      CliProcess cli = new CliProcess(dev.address(), dir);

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        CliProcess.Result nodes = cli.run("--ca-cert", ca, "get", "nodes");
        assertThat(nodes.exitCode()).as(nodes.toString()).isZero();
        assertThat(nodes.out()).containsPattern("(?m)^\\S+ +.*[Rr]eady");
      });
      CliProcess.Result untrusted = cli.run("get", "nodes");
      assertThat(untrusted.err()).startsWith("error: server certificate not trusted: ");
    }
  }
}
