package io.wharf.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The several-server options are checked before anything starts, each with its reason (exit 2). */
class ClusterOptionsTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "server --store zookeeper://h:1 | error: --store must be embedded, etcd or etcd://HOST:PORT[,HOST:PORT...], got \"zookeeper://h:1\"",
      "server --store etcd://h:1,,h:2 | error: --store etcd://HOST:PORT[,HOST:PORT...]: bad endpoint \"\"",
      "server --store etcd://h:1 --etcd-endpoints http://h:2 | error: give the etcd endpoints either in --store etcd://... or in --etcd-endpoints, not both",
      "server --leader-ttl 0 | error: --leader-ttl and --node-ttl must be at least 1 second",
      "server --store etcd://h:1 | error: a server on etcd needs the secrets key: --secrets-key-file FILE or WHARF_SECRETS_KEY (the same keyring on every server)",
      "agent --server http://a:1,ftp://b:2 | error: server address must start with http:// or https://, got \"ftp://b:2\" (from --server)",
      "agent --server http://a:1 --heartbeat 10 | error: --heartbeat must be at least 100 ms, got 10",
  })
  void badClusterOptionsAreRefusedWithTheReason(String args, String message) {
    CliRun.Result result = new CliRun().in(dir).run(args.split(" "));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith(message);
  }

  @org.junit.jupiter.api.Test
  void aMissingOrBrokenSecretsKeyFileIsRefusedBeforeAnythingStarts() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("broken.key"), "# keys\nnot-a-key\n");

    CliRun.Result missing = new CliRun().in(dir).run("server", "--secrets-key-file", "none.key", "--port", "0");
    CliRun.Result broken = new CliRun().in(dir).run("dev", "--secrets-key-file", "broken.key", "--port", "0");

    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: --secrets-key-file " + dir.resolve("none.key") + ": no such file");
    assertThat(broken.exitCode()).isEqualTo(2);
    assertThat(broken.err()).startsWith("error: key file " + dir.resolve("broken.key")
        + ", line 2: not a key (the base64 of 32 random bytes)");
  }
}
