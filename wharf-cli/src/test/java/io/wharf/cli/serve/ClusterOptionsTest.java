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
      "agent --server http://a:1,ftp://b:2 | error: server address must start with http:// or https://, got \"ftp://b:2\" (from --server)",
      "agent --server http://a:1 --heartbeat 10 | error: --heartbeat must be at least 100 ms, got 10",
  })
  void badClusterOptionsAreRefusedWithTheReason(String args, String message) {
    CliRun.Result result = new CliRun().in(dir).run(args.split(" "));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith(message);
  }
}
