package io.wharf.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gateway's options are checked before anything starts, each with its reason (exit 2). */
class GatewayOptionsTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "gateway --server http://a:1 --listen 8080 | error: --listen must be HOST:PORT, got \"8080\"",
      "gateway --server http://a:1 --listen 127.0.0.1:http | error: --listen must be HOST:PORT, got \"127.0.0.1:http\"",
      "gateway --server http://a:1 --listen 127.0.0.1:70000 | error: --listen port must be within 0..65535, got 70000",
      "gateway --server http://a:1 --admin :9090 | error: --admin must be HOST:PORT, got \":9090\"",
      "gateway --server http://a:1 --event-loops 0 | error: --event-loops must be at least 1, got 0",
      "gateway --server http://a:1 --header-timeout soon | error: --header-timeout: 'soon' is not a duration (e.g. 10s, 500ms)",
      "gateway --server http://a:1 --header-timeout 0s | error: --header-timeout: must be positive, got 0s",
      "gateway --server ftp://a:1 | error: server address must start with http:// or https://, got \"ftp://a:1\" (from --server)",
      "dev --gateway localhost | error: --gateway must be HOST:PORT, got \"localhost\"",
  })
  void badGatewayOptionsAreRefusedWithTheReason(String args, String message) {
    CliRun.Result result = new CliRun().in(dir).run(args.split(" "));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith(message);
  }
}
