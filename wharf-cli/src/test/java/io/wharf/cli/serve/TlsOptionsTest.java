package io.wharf.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TLS and join options are checked before anything starts, each with its reason (exit 2). */
class TlsOptionsTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "server --insecure-http --bind 0.0.0.0 | error: --insecure-http is only for loopback test harnesses; --bind 0.0.0.0 is not a loopback address",
      "server --insecure-http --tls-san a.example | error: --insecure-http and --tls-* options exclude each other",
      "server --tls-cert c.pem --port 0 | error: --tls-cert and --tls-key go together",
      "server --tls-cert c.pem --tls-key k.pem --port 0 | error: --tls-cert needs --tls-ca (the CA node certificates chain to)",
      "server --tls-ca-key k.pem --port 0 | error: --tls-ca-key needs --tls-ca",
      "server --tls-server-cert-lifetime 5s --port 0 | error: the server certificate lifetime must be at least 10s, got 5s",
      "server --tls-server-cert-lifetime soon --port 0 | error: --tls-server-cert-lifetime must be a duration like 90d, got \"soon\"",
      "server --insecure-http --tls-server-cert-lifetime 1h | error: --insecure-http and --tls-* options exclude each other",
      "agent --server http://127.0.0.1:1 --join-token a.b | error: --join-token and --ca-cert-hash are for https:// servers; --server is plain http://",
      "agent --server https://127.0.0.1:1,http://127.0.0.1:2 | error: --server mixes http:// and https:// addresses",
      "agent --server https://127.0.0.1:1 --join-token a.b --ca-cert-hash sha256:12 | error: a CA fingerprint is sha256:<64 hex digits>, got \"sha256:12\"",
      "agent --server https://127.0.0.1:1 --join-token a.b | error: joining needs the cluster CA: --ca-cert FILE or --ca-cert-hash sha256:HEX",
      "get nodes --addr https://127.0.0.1:1 --ca-cert missing.pem | error: cannot read the CA certificate",
  })
  void badTlsOptionsAreRefusedWithTheReason(String args, String message) {
    CliRun.Result result = new CliRun().in(dir).run(args.split(" "));

    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(result.err()).startsWith(message);
  }
}
