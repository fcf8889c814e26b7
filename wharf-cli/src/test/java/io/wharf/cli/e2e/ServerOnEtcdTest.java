package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.testkit.etcd.EtcdFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf server --store etcd} against a real etcd (started by the fixture on loopback):
 * a stack applied through the CLI is on etcd, and a second server started on the same etcd
 * serves the same objects.
 */
class ServerOnEtcdTest {

  @TempDir
  Path dir;

  @Test
  void twoServersOnOneEtcdServeWhatTheCliApplied() throws Exception {
    try (EtcdFixture etcd = EtcdFixture.started();
        DevServerProcess first = DevServerProcess.command("server", "--store", "etcd",
            "--etcd-endpoints", etcd.endpoint(), "--etcd-prefix", "/wharf-e2e", "--port", "0",
            "--data-dir", dir.resolve("one").toString(), "--secrets-key-file", SecretsKeyFile.shared());
        DevServerProcess second = DevServerProcess.command("server", "--store", "etcd",
            "--etcd-endpoints", etcd.endpoint(), "--etcd-prefix", "/wharf-e2e", "--port", "0",
            "--data-dir", dir.resolve("two").toString(), "--secrets-key-file", SecretsKeyFile.shared())) {
      Files.writeString(dir.resolve("greeting.txt"), "hello\n");
      Files.writeString(dir.resolve("shop.yaml"), CliRoundTripTest.STACK);
      // Both serve HTTPS from the one cluster CA in etcd, each with its own server certificate:
      // the CA file the first server wrote is all the CLI needs to trust the second.
      String ca = dir.resolve("one/tls/ca.crt").toString();
      assertThat(first.address()).startsWith("https://");
      assertThat(Files.readString(dir.resolve("two/tls/ca.crt"))).isEqualTo(Files.readString(dir.resolve("one/tls/ca.crt")));
      assertThat(Files.readString(dir.resolve("two/tls/server.crt")))
          .isNotEqualTo(Files.readString(dir.resolve("one/tls/server.crt")));

      CliProcess.Result apply = new CliProcess(first.address(), dir)
          .run("--ca-cert", ca, "apply", "-f", "shop.yaml", "--yes");
      CliProcess.Result get = new CliProcess(second.address(), dir).run("--ca-cert", ca, "get", "services");
      CliProcess.Result greeting = new CliProcess(second.address(), dir)
          .run("--ca-cert", ca, "get", "config", "greeting", "-o", "yaml");

      assertThat(apply.exitCode()).as(apply.toString()).isZero();
      assertThat(get.exitCode()).as(get.toString()).isZero();
      assertThat(get.out()).containsPattern("(?m)^api +default ")
          .containsPattern("(?m)^web +default ");
      assertThat(greeting.out()).contains("data: |\n    hello\n");
      assertThat(first.stop()).as("clean shutdown on SIGTERM").isIn(0, 143);
    }
  }
}
